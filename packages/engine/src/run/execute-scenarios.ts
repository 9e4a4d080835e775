/**
 * Runs every scenario at its startTime with a once-a-second tick that samples `vus`/`vus_max`,
 * closes the time-series bucket, flushes outputs and (every 2 s, as k6) checks abortOnFail
 * thresholds.
 */
import { createExecutor, iterationStripes } from '../executors/executor-types.ts';
import { delay, type Executor } from '../executors/executor.ts';
import type { SampleOutput } from '../output/sample-output.ts';
import type { TimeSeriesCollector } from '../output/time-series.ts';
import { ScenarioState } from '../runtime/scenario-state.ts';
import type { ScenarioProgress } from '../output/progress-events.ts';
import type { PreparedRun } from './prepare-run.ts';

export interface ExecutionSinks {
  collector: TimeSeriesCollector;
  outputs: readonly SampleOutput[];
  /** Evaluate abortOnFail thresholds during the run (each worker process does so on its own share). */
  checkThresholds: boolean;
  /** Gate before execution starts (worker processes wait for the parent's go). */
  beforeStart?: () => Promise<void>;
}

const TICK_MS = 1000;
const THRESHOLD_EVERY_TICKS = 2;

export async function executeScenarios(p: PreparedRun, sinks: ExecutionSinks): Promise<void> {
  const { run, pool } = p;
  const states = p.scenarios.map((s) => new ScenarioState(s, p.stripes, iterationStripes(s, p.stripes), s.tags));
  const executors: Executor[] = states.map((state) => createExecutor({ run, pool, state }));
  run.stats.vusActive = () => executors.reduce((n, e) => n + e.activeVUs(), 0);
  run.stats.vusInitialized = () => pool.initialized;
  const globalTags = { ...(p.options.tags ?? {}) };
  await sinks.beforeStart?.();

  run.executionStart = performance.now();
  run.executionStartEpochMs = Date.now();
  let ticks = 0;
  const sampleVus = (): [number, number] => {
    const active = run.stats.vusActive();
    const max = pool.initialized;
    p.metrics.vus.add(active, globalTags);
    p.metrics.vusMax.add(max, globalTags);
    return [active, max];
  };
  const tick = (final: boolean): void => {
    ticks++;
    const [active, max] = final ? [run.stats.vusActive(), pool.initialized] : sampleVus();
    const point = sinks.collector.flush(run.elapsedMs() / 1000, active, max);
    if (sinks.outputs.length) {
      const now = new Date();
      for (const o of sinks.outputs) o.flush(now);
    }
    run.requestFailures.tick();
    run.emit({ type: 'tick', point, scenarios: states.map((s, i) => progressOf(s, executors[i] as Executor)) });
    if (sinks.checkThresholds && p.thresholds.hasAbortOnFail && ticks % THRESHOLD_EVERY_TICKS === 0 && !final) {
      const verdict = p.thresholds.evaluate(run.elapsedMs(), run.elapsedMs(), false);
      if (verdict.abortedBy) {
        run.abort({ kind: 'threshold', message: `thresholds on metrics '${verdict.abortedBy.metric}' were crossed; at least one has abortOnFail enabled, stopping test prematurely` });
      }
    }
  };
  const ticker = setInterval(() => tick(false), TICK_MS);
  // k6 samples vus right away, so even a sub-second test reports them.
  setImmediate(sampleVus);
  try {
    await Promise.all(
      states.map(async (state, i) => {
        if (state.scenario.startTimeMs > 0) {
          const d = delay(state.scenario.startTimeMs);
          await Promise.race([d.promise, run.abortedPromise]);
          d.cancel();
        }
        if (run.aborted) return;
        state.startedAt = performance.now();
        state.startEpochMs = Date.now();
        await (executors[i] as Executor).run();
      }),
    );
  } finally {
    clearInterval(ticker);
    run.requestFailures.flush();
    if (p.metrics.vus.sink.isEmpty) {
      p.metrics.vus.add(run.stats.peakActive, globalTags);
      p.metrics.vusMax.add(pool.initialized, globalTags);
    }
    tick(true);
  }
}

function progressOf(s: ScenarioState, e: Executor): ScenarioProgress {
  return {
    name: s.name,
    executor: s.scenario.executor,
    progress: s.startedAt ? s.progress() : 0,
    activeVUs: e.activeVUs(),
    iterationsCompleted: s.iterationsCompleted,
    iterationsInterrupted: s.iterationsInterrupted,
  };
}
