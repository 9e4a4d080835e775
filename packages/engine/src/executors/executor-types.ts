/** The six executors by k6 name, and what the rest of the engine asks of a scenario's executor. */
import type { SegmentStripes } from '../config/execution-segment.ts';
import { constantArrivalRate, type ConstantArrivalRateScenario } from './constant-arrival-rate.ts';
import { constantVus, type ConstantVusScenario } from './constant-vus.ts';
import type { Executor, ExecutorDeps } from './executor.ts';
import type { ExecutorType } from './executor-type.ts';
import { perVuIterations, type PerVuIterationsScenario } from './per-vu-iterations.ts';
import { rampingArrivalRate, type RampingArrivalRateScenario } from './ramping-arrival-rate.ts';
import { rampingVus, type RampingVusScenario } from './ramping-vus.ts';
import { sharedIterations, type SharedIterationsScenario } from './shared-iterations.ts';

/** A validated scenario: its executor's options with k6's defaults filled in. */
export type Scenario =
  | SharedIterationsScenario
  | PerVuIterationsScenario
  | ConstantVusScenario
  | RampingVusScenario
  | ConstantArrivalRateScenario
  | RampingArrivalRateScenario;

export type ExecutorName = Scenario['executor'];

export const EXECUTOR_TYPES: { readonly [N in ExecutorName]: ExecutorType<Extract<Scenario, { executor: N }>> } = {
  'shared-iterations': sharedIterations,
  'per-vu-iterations': perVuIterations,
  'constant-vus': constantVus,
  'ramping-vus': rampingVus,
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
};

export function isExecutorName(name: string): name is ExecutorName {
  return Object.hasOwn(EXECUTOR_TYPES, name);
}

/** The executor type of `s`, typed for `s` (the table's entries are typed per name). */
function typeOf<S extends Scenario>(s: S): ExecutorType<S> {
  return EXECUTOR_TYPES[s.executor] as unknown as ExecutorType<S>;
}

export function createExecutor(deps: ExecutorDeps<Scenario>): Executor {
  return typeOf(deps.state.scenario).create(deps);
}

/** Scenario length excluding gracefulStop (k6's "duration" / maxDuration / sum of stages). */
export function scenarioDurationMs(s: Scenario): number {
  return typeOf(s).durationMs(s);
}

/** From the scenario's start to the moment its VUs are free for good: duration, gracefulStop and
 * what else its executor allows (gracefulRampDown). */
export function scenarioHoldMs(s: Scenario): number {
  const t = typeOf(s);
  return t.durationMs(s) + s.gracefulStopMs + t.extraStopMs(s);
}

export function initialVUs(s: Scenario, stripes: SegmentStripes): number {
  return typeOf(s).initialVUs(s, stripes);
}

export function iterationStripes(s: Scenario, stripes: SegmentStripes): SegmentStripes {
  return typeOf(s).iterationStripes?.(s, stripes) ?? stripes;
}
