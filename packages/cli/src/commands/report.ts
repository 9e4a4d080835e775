import type { Command } from 'commander';
import { RUNS_DIR } from '@perf-lab/contract';
import { ConfigError, latestRunDir, writeReport } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function reportCommand(opts: { json?: boolean; run?: string; compareWith?: string }, command: Command): Promise<number> {
  const { out } = await commandContext(command, Boolean(opts.json));
  const runDir = opts.run ?? latestRunDir(RUNS_DIR);
  if (!runDir) throw new ConfigError(`no run folder given and none in ${RUNS_DIR} — pass --run DIR or run \`perf-lab run\` first`);
  const result = writeReport(runDir, opts.compareWith ? { compareWith: opts.compareWith } : {});
  out.result(`report: ${result.file}\ncharts: ${result.charts.join(', ') || 'none'}`, { file: result.file, charts: result.charts });
  return ExitCode.ok;
}
