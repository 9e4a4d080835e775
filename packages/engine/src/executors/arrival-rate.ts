/**
 * The run loop of constant-arrival-rate and ramping-arrival-rate (open model; their rules and
 * schedules are in their own files): iterations start on schedule whatever the response times.
 * A start with no free VU is dropped (dropped_iterations) and, below maxVUs, one more VU is
 * initialized in the background for later starts, as k6 does.
 */
import { ownsIndex, scaleInt } from '../config/execution-segment.ts';
import type { ScenarioCommon } from '../config/scenario-fields.ts';
import { runIteration } from '../runtime/run-iteration.ts';
import type { Vu } from '../runtime/vu.ts';
import { BaseExecutor, delay, type ExecutorDeps } from './executor.ts';

/** What both arrival-rate executors have; each supplies its start times. */
export type ArrivalRateScenario = ScenarioCommon & { readonly preAllocatedVUs: number; readonly maxVUs: number };

export interface ArrivalSchedule {
  /** The scenario's length before gracefulStop: no iteration starts at or after it. */
  readonly durationMs: number;
  /** Start times in ms into the scenario, ascending, one per iteration of the whole test. */
  readonly times: Iterator<number>;
}

export class ArrivalRateExecutor<S extends ArrivalRateScenario> extends BaseExecutor<S> {
  private readonly idle: Vu[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private allocated = 0;
  private initializing = false;

  constructor(
    deps: ExecutorDeps<S>,
    private readonly schedule: ArrivalSchedule,
  ) {
    super(deps);
  }

  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    const stripes = this.deps.state.stripes;
    const total = this.schedule.durationMs;
    const maxVUs = scaleInt(stripes, s.maxVUs);
    this.deps.state.progress = () => (total ? Math.min(1, this.now() / total) : 1);
    const pre = await Promise.all(Array.from({ length: scaleInt(stripes, s.preAllocatedVUs) }, () => this.take()));
    this.idle.push(...pre);
    this.allocated = pre.length;

    const times = this.schedule.times;
    let index = 0;
    let next = times.next();
    while (!next.done && next.value < total && !this.deps.run.aborted) {
      const wait = next.value - this.now();
      if (wait > 1) {
        const d = delay(wait);
        await Promise.race([d.promise, this.deps.run.abortedPromise]);
        d.cancel();
        continue;
      }
      // Catch up with every start that is due: timers are coarse, the schedule is not.
      if (ownsIndex(this.deps.state.iterationStripes, index)) this.start(index, maxVUs);
      index++;
      next = times.next();
    }
    await this.drain(Promise.all(this.inFlight), s.gracefulStopMs);
    for (const vu of this.idle.splice(0)) this.give(vu);
  }

  private start(globalIndex: number, maxVUs: number): void {
    const vu = this.idle.pop();
    if (!vu) {
      this.drop(maxVUs);
      return;
    }
    const lease = vu.lease;
    const p = runIteration(vu, this.deps.state, globalIndex).then(() => {
      this.inFlight.delete(p);
      if (vu.lease !== lease) return; // interrupted, and lent again since
      if (vu.interrupted) this.give(vu);
      else this.idle.push(vu);
    });
    this.inFlight.add(p);
  }

  private drop(maxVUs: number): void {
    const run = this.deps.run;
    this.dropIterations(1);
    if (this.allocated >= maxVUs) {
      run.warnOnce(`insufficient-vus-${this.deps.state.name}`, `Insufficient VUs, reached ${maxVUs} active VUs and cannot initialize more (scenario ${this.deps.state.name})`);
      return;
    }
    if (this.initializing) return;
    this.initializing = true;
    this.allocated++;
    void this.take()
      .then((vu) => this.idle.push(vu))
      .catch((err: unknown) => {
        this.allocated--;
        run.log('error', `could not initialize a VU: ${String(err)}`);
      })
      .finally(() => (this.initializing = false));
  }
}
