import type { Command } from 'commander';
import type { ScenarioName } from '@perf-lab/contract';
import { auditSummary, cpuLine, formatCauses, fullRun, parseFaults, runOutcomeRows } from '@perf-lab/core';
import { faultLines, faultsFailed } from '../fault-lines.ts';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';
import { profileOverrides, type LoadFlags } from '../load-flags.ts';
import { outcomeLines } from '../outcome-lines.ts';

export interface FullRunFlags extends LoadFlags {
  json?: boolean;
  scenario: ScenarioName;
  set?: string[];
  users?: number;
  couponStock?: number;
  runsDir?: string;
  fault?: string[];
  hotUsers?: number;
}

/**
 * `perf-lab lab`: the full run in one command — lab up → reference server → seed → load →
 * audit → report. ("The lab" is the services; the command keeps its short, documented name.)
 */
export async function fullRunCommand(opts: FullRunFlags, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  // The config's faults first, the flags' added to them: one list, checked for overlaps as a whole.
  const faults = parseFaults([...config.faults, ...(opts.fault ?? [])]);
  const result = await fullRun(config, {
    faults,
    scenario: opts.scenario, profile: opts.profile, overrides: profileOverrides(opts), settings: opts.set ?? [],
    seedPlan: { ...(opts.users !== undefined ? { users: opts.users } : {}), ...(opts.couponStock !== undefined ? { couponStock: opts.couponStock } : {}) },
    ...(opts.runsDir ? { runsDir: opts.runsDir } : {}),
    ...(opts.hotUsers !== undefined ? { hotUsers: opts.hotUsers } : {}),
    command: `perf-lab ${process.argv.slice(2).join(' ')}`,
    onProgress: (line) => out.progress(out.color.gray(line)),
  });
  const r = result.run.results;
  const verdict = result.audit.verdict;
  const outcomes = runOutcomeRows(result.run.runDir, config.api);
  const audited = auditSummary(result.audit);
  out.result(
    [
      `${r.requests} requests, ${r.rps.toFixed(2)} req/s, p95 ${r.latencyMs.p95.toFixed(2)} ms, ${r.systemErrors} system errors`,
      ...outcomeLines(out, outcomes),
      ...(r.systemErrors > 0 ? [out.color.red(`system errors by cause: ${formatCauses(result.run.outcomes.system, 5)}`)] : []),
      `thresholds ${result.run.thresholdsPassed ? out.color.green('passed') : out.color.red('FAILED')}`,
      `audit ${verdict === 'ok' ? out.color.green(audited.verdict) : out.color.red(audited.verdict)}: ${audited.detail}`,
      cpuLine(result.run.cpu),
      ...faultLines(result.run.faults),
      ...(faultsFailed(result.run.faults) ? [out.color.red(faultsFailed(result.run.faults)!)] : []),
      `report: ${result.reportFile}`,
    ].join('\n'),
    { faults: result.run.faults, runDir: result.run.runDir, report: result.reportFile, outcomes, rps: r.rps, p95Ms: r.latencyMs.p95, systemErrors: r.systemErrors, systemErrorsByReason: result.run.outcomes.system, thresholdsPassed: result.run.thresholdsPassed, audit: verdict, cpu: result.run.cpu },
  );
  if (verdict === 'unknown') return ExitCode.unknown;
  return verdict === 'ok' && result.run.thresholdsPassed ? ExitCode.ok : ExitCode.checkFailed;
}
