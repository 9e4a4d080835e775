import type { Command } from 'commander';
import { RUNS_DIR } from '@perf-lab/contract';
import { ConfigError, gate, latestRunDir } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export interface GateFlags {
  json?: boolean;
  baseline: string;
  run?: string;
  updateBaseline?: boolean;
  baselineRuns?: number;
  rpsDrop?: number;
  p95Rise?: number;
}

/** Prints a markdown summary fit for a CI job summary ($GITHUB_STEP_SUMMARY). */
export async function gateCommand(opts: GateFlags, command: Command): Promise<number> {
  const { out } = await commandContext(command, Boolean(opts.json));
  const runDir = opts.run ?? latestRunDir(RUNS_DIR);
  if (!runDir) throw new ConfigError(`no run folder given and none in ${RUNS_DIR} — pass --run DIR`);
  const result = gate(runDir, {
    baselineFile: opts.baseline, updateBaseline: Boolean(opts.updateBaseline), ...(opts.baselineRuns !== undefined ? { baselineRuns: opts.baselineRuns } : {}),
    tolerances: { ...(opts.rpsDrop !== undefined ? { rpsDrop: opts.rpsDrop } : {}), ...(opts.p95Rise !== undefined ? { p95Rise: opts.p95Rise } : {}) },
  });
  out.result(result.markdown, { verdict: result.verdict, checks: result.checks, baselineWritten: result.baselineWritten, runDir });
  return result.verdict === 'pass' ? ExitCode.ok : result.verdict === 'fail' ? ExitCode.checkFailed : ExitCode.unknown;
}
