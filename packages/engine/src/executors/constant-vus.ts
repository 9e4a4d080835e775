/** constant-vus: a fixed number of VUs loop for `duration`, then gracefulStop. */
import { scaleInt } from '../config/execution-segment.ts';
import { positiveInt, requiredDurationMs, type ScenarioCommon } from '../config/scenario-fields.ts';
import { BaseExecutor } from './executor.ts';
import type { ExecutorType } from './executor-type.ts';

export type ConstantVusScenario = ScenarioCommon & { readonly executor: 'constant-vus'; readonly vus: number; readonly durationMs: number };

export const constantVus: ExecutorType<ConstantVusScenario> = {
  parse: (s, common, where) => ({
    ...common,
    executor: 'constant-vus',
    vus: positiveInt(s.vus ?? 1, `${where} vus`),
    durationMs: requiredDurationMs(s.duration, `${where} duration`),
  }),
  durationMs: (s) => s.durationMs,
  extraStopMs: () => 0,
  initialVUs: (s, stripes) => scaleInt(stripes, s.vus),
  create: (deps) => new ConstantVusExecutor(deps),
};

class ConstantVusExecutor extends BaseExecutor<ConstantVusScenario> {
  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    const vus = scaleInt(this.deps.state.stripes, s.vus);
    this.deps.state.progress = () => Math.min(1, this.now() / s.durationMs);
    let timeUp = false;
    const vuList = await Promise.all(Array.from({ length: vus }, () => this.take()));
    const loops = Promise.all(vuList.map((vu) => this.loop(vu, () => !timeUp)));
    await this.untilOr(s.durationMs, loops);
    timeUp = true;
    await this.drain(loops, s.gracefulStopMs);
  }
}
