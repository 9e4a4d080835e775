/**
 * ramping-vus: the VU count follows the stages; VUs removed by a ramp-down finish their
 * iteration within gracefulRampDown, and after the last stage gracefulStop applies.
 */
import { durationMsOr } from '../config/duration.ts';
import { scaleInt } from '../config/execution-segment.ts';
import { nonNegativeInt, SECOND_MS, stagesDurationMs, stagesOf, type ScenarioCommon, type Stage } from '../config/scenario-fields.ts';
import { interruptVu } from '../runtime/run-iteration.ts';
import type { Vu } from '../runtime/vu.ts';
import { BaseExecutor } from './executor.ts';
import type { ExecutorType } from './executor-type.ts';
import { rampingVuSteps } from './ramping-steps.ts';

export type RampingVusScenario = ScenarioCommon & {
  readonly executor: 'ramping-vus';
  readonly startVUs: number;
  readonly stages: readonly Stage[];
  readonly gracefulRampDownMs: number;
};

export const rampingVus: ExecutorType<RampingVusScenario> = {
  parse: (s, common, where) => ({
    ...common,
    executor: 'ramping-vus',
    startVUs: nonNegativeInt(s.startVUs ?? 1, `${where} startVUs`),
    stages: stagesOf(s, where),
    gracefulRampDownMs: durationMsOr(s.gracefulRampDown, 30 * SECOND_MS, `${where} gracefulRampDown`),
  }),
  durationMs: (s) => stagesDurationMs(s.stages),
  // VUs ramped down in the last stage may still finish their iteration within gracefulRampDown.
  extraStopMs: (s) => s.gracefulRampDownMs,
  initialVUs: (s, stripes) => scaleInt(stripes, Math.max(s.startVUs, ...s.stages.map((st) => Math.round(st.target)))),
  create: (deps) => new RampingVusExecutor(deps),
};

interface Slot {
  vu: Vu;
  stopping: boolean;
  timer: NodeJS.Timeout | undefined;
  loop: Promise<void>;
}

class RampingVusExecutor extends BaseExecutor<RampingVusScenario> {
  private readonly slots: Slot[] = [];
  private ended = false;
  private gracefulRampDownMs = 0;

  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    const stripes = this.deps.state.stripes;
    const total = stagesDurationMs(s.stages);
    this.gracefulRampDownMs = s.gracefulRampDownMs;
    this.deps.state.progress = () => (total ? Math.min(1, this.now() / total) : 1);
    await this.setTarget(scaleInt(stripes, s.startVUs));
    let last = scaleInt(stripes, s.startVUs);
    for (const step of rampingVuSteps(s.startVUs, s.stages)) {
      const local = scaleInt(stripes, step.vus);
      if (local === last) continue;
      await this.until(step.atMs);
      if (this.deps.run.aborted) break;
      await this.setTarget(local);
      last = local;
    }
    await this.until(total);
    this.ended = true;
    for (const slot of this.slots) if (slot.timer) clearTimeout(slot.timer);
    await this.drain(Promise.all(this.slots.map((sl) => sl.loop)), s.gracefulStopMs);
  }

  private async setTarget(target: number): Promise<void> {
    const live = this.slots.filter((sl) => !sl.stopping);
    if (target < live.length) {
      // Like k6, the most recently started VUs are the first to go.
      for (const slot of live.slice(target)) this.stop(slot);
      return;
    }
    let missing = target - live.length;
    for (const slot of this.slots) {
      if (missing === 0) break;
      if (!slot.stopping) continue;
      slot.stopping = false;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
      missing--;
    }
    const fresh = await Promise.all(Array.from({ length: missing }, () => this.take()));
    for (const vu of fresh) this.start(vu);
  }

  private start(vu: Vu): void {
    const slot: Slot = { vu, stopping: false, timer: undefined, loop: Promise.resolve() };
    slot.loop = this.loop(vu, () => !slot.stopping && !this.ended).finally(() => {
      if (slot.timer) clearTimeout(slot.timer);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    });
    this.slots.push(slot);
  }

  private stop(slot: Slot): void {
    slot.stopping = true;
    slot.timer = setTimeout(() => {
      if (!slot.vu.busy) return;
      interruptVu(slot.vu);
      this.give(slot.vu);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    }, this.gracefulRampDownMs);
  }
}
