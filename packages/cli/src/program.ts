import { Command, InvalidArgumentError } from 'commander';
import { addGlobalOptions, jsonOption } from './global-options.ts';

type Action = (...args: never[]) => Promise<number>;

/**
 * commander wiring only: each command's module is imported when it runs, so `perf-lab status`
 * does not load the engine or esbuild. An action resolves to its exit code.
 */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = addGlobalOptions(new Command('perf-lab'))
    .description('Load-test an e-commerce backend with k6 scripts, then prove it stayed correct.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const lazy = (load: () => Promise<Action>) => async (...args: unknown[]) => {
    const action = await load();
    setExitCode(await (action as (...a: unknown[]) => Promise<number>)(...args));
  };

  program.command('lab')
    .description('the whole job: lab up → (seed → run → audit → report, as they land)')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/lab.ts')).labCommand));
  program.command('up')
    .description('start the local lab (MariaDB, Redis, Kafka) under the state folder; waits until each answers')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/up.ts')).upCommand));
  program.command('down')
    .description('stop the services perf-lab started (by pid file); leaves external services alone')
    .option('--wipe', 'also delete their data')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/down.ts')).downCommand));
  program.command('status')
    .description('show each service with address, pid, version and health (exit 1 when one is down)')
    .addOption(jsonOption())
    .action(lazy(async () => (await import('./commands/status.ts')).statusCommand));
  program.command('logs')
    .description('show the tail of a managed service log')
    .argument('<service>', 'mysql, redis or kafka')
    .option('-n, --lines <n>', 'number of lines', positiveInt, 50)
    .action(lazy(async () => (await import('./commands/logs.ts')).logsCommand));
  return program;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
