/** ramping-arrival-rate: the rate follows the stages; iteration i starts when the rate's integral reaches i+1. */
import { durationMsOr } from '../config/duration.ts';
import { resegment, scaleInt } from '../config/execution-segment.ts';
import { maxVUsOf, preAllocatedVUsOf, nonNegative, SECOND_MS, stagesDurationMs, stagesOf, type ScenarioCommon, type Stage } from '../config/scenario-fields.ts';
import { ArrivalRateExecutor } from './arrival-rate.ts';
import type { ExecutorType } from './executor-type.ts';
import { rampingArrivalTimes } from './ramping-steps.ts';

export type RampingArrivalRateScenario = ScenarioCommon & {
  readonly executor: 'ramping-arrival-rate';
  readonly startRate: number;
  readonly timeUnitMs: number;
  readonly stages: readonly Stage[];
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
};

export const rampingArrivalRate: ExecutorType<RampingArrivalRateScenario> = {
  parse: (s, common, where) => {
    const pre = preAllocatedVUsOf(s, where);
    return {
      ...common,
      executor: 'ramping-arrival-rate',
      startRate: nonNegative(s.startRate ?? 0, `${where} startRate`),
      timeUnitMs: durationMsOr(s.timeUnit, SECOND_MS, `${where} timeUnit`),
      stages: stagesOf(s, where),
      preAllocatedVUs: pre,
      maxVUs: maxVUsOf(s, pre, where),
    };
  },
  durationMs: (s) => stagesDurationMs(s.stages),
  extraStopMs: () => 0,
  // The rest, up to maxVUs, is initialized when starts find no free VU.
  initialVUs: (s, stripes) => scaleInt(stripes, s.preAllocatedVUs),
  // As k6: the starts go to the instances in proportion to their maxVUs.
  iterationStripes: (s, stripes) => resegment(stripes, s.maxVUs),
  create: (deps) => {
    const s = deps.state.scenario;
    return new ArrivalRateExecutor(deps, { durationMs: stagesDurationMs(s.stages), times: rampingArrivalTimes(s.startRate, s.timeUnitMs, s.stages) });
  },
};
