/**
 * The `k6`-like command line as a function: `run [flags] script.js|script.ts`, k6's flags and exit
 * codes (usage errors exit 104, k6's "invalid config"). Used by src/bin.ts and by perf-lab's
 * own CLI (`perf-lab k6 run …`); it prints, as a command line does.
 */
import { readCliEnvironment } from './config.ts';
import { bundleIfTypeScript } from './bundle-script.ts';
import { parseRunArgs, RUN_HELP, UsageError } from './parse-run-args.ts';
import { runCommand } from './run-command.ts';
import { EXIT_CODES } from '../run/exit-codes.ts';

export async function k6Cli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${RUN_HELP}\n`);
    return command ? EXIT_CODES.OK : EXIT_CODES.INVALID_CONFIG;
  }
  try {
    if (command !== 'run') throw new UsageError(`unknown command "${command}": the engine has one command, run`);
    const cmd = parseRunArgs(rest);
    let script: string;
    try {
      script = await bundleIfTypeScript(cmd.script);
    } catch (err) {
      process.stderr.write(`error: could not bundle ${cmd.script}: ${(err as Error).message}\n`);
      return EXIT_CODES.SCRIPT_EXCEPTION;
    }
    if (script !== cmd.script) process.setSourceMapsEnabled(true);
    return await runCommand({ ...cmd, script }, readCliEnvironment());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT_CODES.INVALID_CONFIG;
  }
}
