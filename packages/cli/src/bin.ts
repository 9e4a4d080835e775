import { CommanderError } from 'commander';
import { ErrorKind, PerfLabError, errorMessage } from '@perf-lab/core';
import { ExitCode } from './exit-codes.ts';
import { buildProgram } from './program.ts';

/** The one place errors become exit codes and messages. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successful exits; commander already printed the usage error.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usageOrEnvironment;
    }
    process.stderr.write(`perf-lab: ${errorMessage(err)}\n`);
    if (err instanceof PerfLabError) {
      return err.kind === ErrorKind.usage || err.kind === ErrorKind.environment ? ExitCode.usageOrEnvironment : ExitCode.unknown;
    }
    if (!(err instanceof Error) || !err.stack) return ExitCode.unknown;
    process.stderr.write(`${err.stack}\n`);
    return ExitCode.unknown;
  }
}

const code = await main(process.argv.slice(2));
// Clients (mysql2, ioredis, kafkajs) may keep sockets half-closed; the command is done.
process.exit(code);
