/** constant-arrival-rate: `rate` iterations per `timeUnit` for `duration`, iteration i starting at i·timeUnit/rate. */
import { durationMsOr } from '../config/duration.ts';
import { resegment, scaleInt } from '../config/execution-segment.ts';
import { maxVUsOf, preAllocatedVUsOf, positive, required, requiredDurationMs, SECOND_MS, type ScenarioCommon } from '../config/scenario-fields.ts';
import { ArrivalRateExecutor } from './arrival-rate.ts';
import type { ExecutorType } from './executor-type.ts';

export type ConstantArrivalRateScenario = ScenarioCommon & {
  readonly executor: 'constant-arrival-rate';
  readonly rate: number;
  readonly timeUnitMs: number;
  readonly durationMs: number;
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
};

export const constantArrivalRate: ExecutorType<ConstantArrivalRateScenario> = {
  parse: (s, common, where) => {
    const pre = preAllocatedVUsOf(s, where);
    return {
      ...common,
      executor: 'constant-arrival-rate',
      rate: positive(required(s.rate, `${where} rate`), `${where} rate`),
      timeUnitMs: durationMsOr(s.timeUnit, SECOND_MS, `${where} timeUnit`),
      durationMs: requiredDurationMs(s.duration, `${where} duration`),
      preAllocatedVUs: pre,
      maxVUs: maxVUsOf(s, pre, where),
    };
  },
  durationMs: (s) => s.durationMs,
  extraStopMs: () => 0,
  // The rest, up to maxVUs, is initialized when starts find no free VU.
  initialVUs: (s, stripes) => scaleInt(stripes, s.preAllocatedVUs),
  // As k6: the starts go to the instances in proportion to their maxVUs.
  iterationStripes: (s, stripes) => resegment(stripes, s.maxVUs),
  create: (deps) => {
    const s = deps.state.scenario;
    return new ArrivalRateExecutor(deps, { durationMs: s.durationMs, times: constantTimes(s.timeUnitMs / s.rate, s.durationMs) });
  },
};

function* constantTimes(intervalMs: number, totalMs: number): Generator<number> {
  for (let i = 0; i * intervalMs < totalMs; i++) yield i * intervalMs;
}
