/** per-vu-iterations: each VU runs its own count of iterations, bounded by maxDuration, then gracefulStop. */
import { scaleInt } from '../config/execution-segment.ts';
import { durationMsOr } from '../config/duration.ts';
import { positiveInt, SECOND_MS, type ScenarioCommon } from '../config/scenario-fields.ts';
import { BaseExecutor } from './executor.ts';
import type { ExecutorType } from './executor-type.ts';

export type PerVuIterationsScenario = ScenarioCommon & {
  readonly executor: 'per-vu-iterations';
  readonly vus: number;
  readonly iterations: number;
  readonly maxDurationMs: number;
};

export const perVuIterations: ExecutorType<PerVuIterationsScenario> = {
  parse: (s, common, where) => ({
    ...common,
    executor: 'per-vu-iterations',
    vus: positiveInt(s.vus ?? 1, `${where} vus`),
    iterations: positiveInt(s.iterations ?? 1, `${where} iterations`),
    maxDurationMs: durationMsOr(s.maxDuration, 600 * SECOND_MS, `${where} maxDuration`),
  }),
  durationMs: (s) => s.maxDurationMs,
  extraStopMs: () => 0,
  initialVUs: (s, stripes) => scaleInt(stripes, s.vus),
  create: (deps) => new PerVuIterationsExecutor(deps),
};

class PerVuIterationsExecutor extends BaseExecutor<PerVuIterationsScenario> {
  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    const vus = scaleInt(this.deps.state.stripes, s.vus);
    const total = vus * s.iterations;
    this.deps.state.progress = () => (total ? Math.min(1, this.deps.state.iterationsCompleted / total) : 1);
    let timeUp = false;
    const vuList = await Promise.all(Array.from({ length: vus }, () => this.take()));
    const started = vuList.map(() => 0);
    const loops = Promise.all(vuList.map((vu, i) => this.loop(vu, () => !timeUp && (started[i] as number) < s.iterations && ++(started[i] as number) > 0)));
    await this.untilOr(s.maxDurationMs, loops);
    timeUp = true;
    await this.drain(loops, s.gracefulStopMs);
    // As k6: the iterations maxDuration kept each VU from starting are dropped_iterations.
    this.dropIterations(started.reduce((n, k) => n + (s.iterations - k), 0));
  }
}
