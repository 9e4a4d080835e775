import type { Command } from 'commander';
import { labDown } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function downCommand(opts: { json?: boolean; wipe?: boolean }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const results = await labDown(config, { wipe: Boolean(opts.wipe) });
  const lines = results.map((r) => `${r.service.padEnd(16)} ${r.outcome === 'external' ? 'external, left alone' : r.outcome}`);
  if (opts.wipe) lines.push(`data of managed services deleted from ${config.stateDir}`);
  out.result(lines.join('\n'), { services: results, wiped: Boolean(opts.wipe) });
  return ExitCode.ok;
}
