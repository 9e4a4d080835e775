/** Per-scenario counters shared by the VUs running it (what k6/execution's `scenario` reads). */
import type { SegmentStripes } from '../config/execution-segment.ts';
import type { ScenarioCommon } from '../config/scenario-fields.ts';

/** `S`: the scenario's type, so an executor reads its own options (executors/<name>.ts). */
export class ScenarioState<S extends ScenarioCommon = ScenarioCommon> {
  /** Local (this instance) iterations started so far. */
  iterationsStarted = 0;
  iterationsCompleted = 0;
  iterationsInterrupted = 0;
  startEpochMs = 0;
  startedAt = 0;
  activeVUs = 0;
  /** Set by the executor: 0..1 of its plan. */
  progress: () => number = () => 0;

  constructor(
    readonly scenario: S,
    /** The test's stripes: VU counts are scaled by them. */
    readonly stripes: SegmentStripes,
    /** What iteration indexes this instance runs (executor-type.ts iterationStripes). */
    readonly iterationStripes: SegmentStripes,
    readonly tags: Readonly<Record<string, string>>,
  ) {}

  get name(): string {
    return this.scenario.name;
  }
}
