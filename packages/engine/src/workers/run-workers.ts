/**
 * `run({ workers: N })`: the parent evaluates the script (options, thresholds), runs setup()
 * once, then splits execution over N worker processes on the segments 0:1/N … (N-1)/N:1 of the
 * sequence 0,1/N,…,1 — k6's execution-segment arithmetic — starts them together, merges their
 * metrics (HDR histograms merge exactly), runs teardown() and builds one summary.
 */
import type { SampleOutput } from '../output/sample-output.ts';
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
    refuse: (o) => {
      if (o.options?.executionSegment) return 'workers and executionSegment cannot be combined: workers split the test into segments itself';
      // Each worker would push the same series with its own share of the values.
      if (o.out?.some((x) => x.split('=')[0] === 'experimental-prometheus-rw')) return 'workers and --out experimental-prometheus-rw cannot be combined: run without --workers';
      return undefined;
    },
    // setup() and teardown() run here, the scenarios in the workers (their lines are relayed).
    beforeSetup: async (p, { outputs }) => {
      for (const o of outputs) o.attach(p.registry);
    },
    execute: (p, { outputs, outcome }) => runSegments(p, opts, outputs, outcome.timeSeries),
  });
}

/** Runs the scenarios in the workers, between the parent's setup() and teardown(). */
async function runSegments(p: PreparedRun, opts: RunOptions, outputs: readonly SampleOutput[], series: TimeSeriesPoint[]): Promise<Execution> {
  const n = opts.workers ?? 1;
  const ticks = new TickMerger(n, (point) => {
    series.push(point);
    p.run.emit({ type: 'tick', point, scenarios: [] });
  });
  const fleet = new WorkerFleet(p, opts, outputs, ticks, n);
  await fleet.run();
  ticks.flush();
  if (fleet.failed && fleet.reports.length < n) return { failed: { exitCode: fleet.failed.exitCode as ExitCode, message: fleet.failed.message } };
  mergeWorkerResults(p, fleet.reports, series);
  return { executionMs: Math.max(0, ...fleet.reports.map((d) => d.executionMs)) || performance.now() - fleet.startedAt };
}
