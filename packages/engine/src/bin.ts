#!/usr/bin/env -S npx tsx
/**
 * `tsx packages/engine/src/bin.ts run [flags] script.js` — a k6-like command line for the
 * engine. Usage errors exit 104 (k6's "invalid config"), everything else is the run's exit code.
 */
import { readCliEnvironment } from './cli/config.ts';
import { parseRunArgs, RUN_HELP, UsageError } from './cli/parse-run-args.ts';
import { runCommand } from './cli/run-command.ts';
import { EXIT_CODES } from './run/exit-codes.ts';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${RUN_HELP}\n`);
    return command ? EXIT_CODES.OK : EXIT_CODES.INVALID_CONFIG;
  }
  if (command !== 'run') throw new UsageError(`unknown command "${command}": the engine has one command, run`);
  return runCommand(parseRunArgs(rest), readCliEnvironment());
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Like k6, the run is over when the test is: a handle the script left open (a global
    // setInterval, a socket) must not keep the process alive. Unref'd, so a clean exit is not delayed.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = EXIT_CODES.INVALID_CONFIG;
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
