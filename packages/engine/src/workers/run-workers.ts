/**
 * `run({ workers: N })`: the parent evaluates the script (options, thresholds), runs setup()
 * once, then splits execution over N worker processes on the segments 0:1/N … (N-1)/N:1 of the
 * sequence 0,1/N,…,1 — k6's execution-segment arithmetic — starts them together, merges their
 * metrics (HDR histograms merge exactly), runs teardown() and builds one summary.
 */
import type { JsonLinesOutput } from '../output/json-output.ts';
import type { TimeSeriesPoint } from '../output/progress-events.ts';
import type { ExitCode } from '../run/exit-codes.ts';
import type { PreparedRun } from '../run/prepare-run.ts';
import { runPhases, type Execution } from '../run/run-phases.ts';
import type { RunOptions, RunResult } from '../run/run-options.ts';
import { mergeWorkerResults } from './merge-worker-results.ts';
import { TickMerger } from './tick-merger.ts';
import { WorkerFleet } from './worker-fleet.ts';

export function runWithWorkers(opts: RunOptions): Promise<RunResult> {
  return runPhases(opts, {
    refuse: (o) => (o.options?.executionSegment ? 'workers and executionSegment cannot be combined: workers split the test into segments itself' : undefined),
    execute: (p, { json, outcome }) => runSegments(p, opts, json, outcome.timeSeries),
  });
}

/** Runs the scenarios in the workers, between the parent's setup() and teardown(). */
async function runSegments(p: PreparedRun, opts: RunOptions, json: JsonLinesOutput | undefined, series: TimeSeriesPoint[]): Promise<Execution> {
  const n = opts.workers ?? 1;
  const ticks = new TickMerger(n, (point) => {
    series.push(point);
    p.run.emit({ type: 'tick', point, scenarios: [] });
  });
  const fleet = new WorkerFleet(p, opts, json, ticks, n);
  await fleet.run();
  ticks.flush();
  if (fleet.failed && fleet.reports.length < n) return { failed: { exitCode: fleet.failed.exitCode as ExitCode, message: fleet.failed.message } };
  mergeWorkerResults(p, fleet.reports, series);
  return { executionMs: Math.max(0, ...fleet.reports.map((d) => d.executionMs)) || performance.now() - fleet.startedAt };
}
