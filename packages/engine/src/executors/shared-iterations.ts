/** shared-iterations: VUs pull from one pool of iterations, bounded by maxDuration, then gracefulStop. */
import { resegment, scaleInt } from '../config/execution-segment.ts';
import { durationMsOr } from '../config/duration.ts';
import { positiveInt, SECOND_MS, type ScenarioCommon } from '../config/scenario-fields.ts';
import { BaseExecutor } from './executor.ts';
import type { ExecutorType } from './executor-type.ts';

export type SharedIterationsScenario = ScenarioCommon & {
  readonly executor: 'shared-iterations';
  readonly vus: number;
  readonly iterations: number;
  readonly maxDurationMs: number;
};

export const sharedIterations: ExecutorType<SharedIterationsScenario> = {
  parse: (s, common, where) => {
    const vus = positiveInt(s.vus ?? 1, `${where} vus`);
    const iterations = positiveInt(s.iterations ?? 1, `${where} iterations`);
    if (iterations < vus) throw new Error(`${where}: the number of iterations (${iterations}) can't be less than the number of VUs (${vus})`);
    return { ...common, executor: 'shared-iterations', vus, iterations, maxDurationMs: durationMsOr(s.maxDuration, 600 * SECOND_MS, `${where} maxDuration`) };
  },
  durationMs: (s) => s.maxDurationMs,
  extraStopMs: () => 0,
  initialVUs: (s, stripes) => scaleInt(stripes, s.vus),
  // As k6: the iterations go to the instances in proportion to their VUs, none to one without.
  iterationStripes: (s, stripes) => resegment(stripes, s.vus),
  create: (deps) => new SharedIterationsExecutor(deps),
};

class SharedIterationsExecutor extends BaseExecutor<SharedIterationsScenario> {
  private total = 0;

  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    const vus = scaleInt(this.deps.state.stripes, s.vus);
    this.total = scaleInt(this.deps.state.iterationStripes, s.iterations);
    this.deps.state.progress = () => (this.total ? Math.min(1, this.deps.state.iterationsCompleted / this.total) : 1);
    let claimed = 0;
    let timeUp = false;
    const keepGoing = (): boolean => !timeUp && claimed < this.total && ++claimed > 0;
    const vuList = await Promise.all(Array.from({ length: vus }, () => this.take()));
    const loops = Promise.all(vuList.map((vu) => this.loop(vu, keepGoing)));
    await this.untilOr(s.maxDurationMs, loops);
    timeUp = true;
    await this.drain(loops, s.gracefulStopMs);
    // As k6: the iterations nobody started before maxDuration are dropped_iterations.
    this.dropIterations(this.total - claimed);
  }
}
