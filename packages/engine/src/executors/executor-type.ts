/**
 * Everything the engine knows about one executor, kept in that executor's file (as k6 keeps an
 * executor's config, its validation and its run loop in lib/executor/<name>.go): how its options
 * are validated, how long it runs, how many VUs it needs up front, and the executor itself.
 */
import type { SegmentStripes } from '../config/execution-segment.ts';
import type { ScenarioInput } from '../config/k6-options.ts';
import type { ScenarioCommon } from '../config/scenario-fields.ts';
import type { Executor, ExecutorDeps } from './executor.ts';

export interface ExecutorType<S extends ScenarioCommon> {
  /** The scenario's options, validated, with k6's defaults; `where` names it in errors. */
  parse(input: ScenarioInput, common: ScenarioCommon, where: string): S;
  /** How long it runs before gracefulStop: k6's duration, maxDuration or the stages' sum. */
  durationMs(s: S): number;
  /** How long its VUs may stay busy after durationMs + gracefulStop (0 but for ramping-vus). */
  extraStopMs(s: S): number;
  /** The VUs to initialize before the test for this instance's share of the scenario. */
  initialVUs(s: S, stripes: SegmentStripes): number;
  /** The stripes its iterations are dealt by, when not the test's: k6 re-segments the
   * executors whose iterations a number of VUs share by that number (execution-segment.ts). */
  iterationStripes?(s: S, stripes: SegmentStripes): SegmentStripes;
  create(deps: ExecutorDeps<S>): Executor;
}
