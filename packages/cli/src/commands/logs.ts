import type { Command } from 'commander';
import { labLogs } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function logsCommand(service: string, opts: { lines: number }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, false);
  out.result(labLogs(config, service, opts.lines), null);
  return ExitCode.ok;
}
