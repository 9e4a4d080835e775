/**
 * What all executors share: borrowing VUs for the scenario, the iteration loop, and k6's
 * graceful stop (in-flight iterations get `gracefulStop` to finish, then are interrupted).
 * Each executor's own rules are in its file (executor-types.ts lists them).
 */
import type { ScenarioCommon } from '../config/scenario-fields.ts';
import type { RunContext } from '../runtime/run-context.ts';
import type { ScenarioState } from '../runtime/scenario-state.ts';
import type { VuPool } from '../runtime/vu-pool.ts';
import type { Vu } from '../runtime/vu.ts';
import { interruptVu, runIteration } from '../runtime/run-iteration.ts';

export interface ExecutorDeps<S extends ScenarioCommon = ScenarioCommon> {
  readonly run: RunContext;
  readonly pool: VuPool;
  readonly state: ScenarioState<S>;
}

export interface Executor {
  /** Runs the scenario, graceful stop included; resolves once none of its iterations runs. */
  run(): Promise<void>;
  activeVUs(): number;
}

/** Sync iterations never yield; every so many we let timers and I/O run. */
const YIELD_EVERY = 64;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export abstract class BaseExecutor<S extends ScenarioCommon> implements Executor {
  protected readonly running = new Set<Vu>();

  constructor(protected readonly deps: ExecutorDeps<S>) {}

  abstract run(): Promise<void>;

  activeVUs(): number {
    return this.running.size;
  }

  protected get run_(): RunContext {
    return this.deps.run;
  }

  /** Counts iterations this scenario will not start (k6's dropped_iterations). */
  protected dropIterations(count: number): void {
    if (count <= 0 || this.deps.run.aborted) return;
    const run = this.deps.run;
    run.metrics.droppedIterations.add(count, { ...(run.options.tags ?? {}), ...this.deps.state.tags, scenario: this.deps.state.name });
  }

  protected now(): number {
    return performance.now() - this.deps.state.startedAt;
  }

  protected async take(): Promise<Vu> {
    const vu = await this.deps.pool.acquire();
    this.adopt(vu);
    return vu;
  }

  protected adopt(vu: Vu): void {
    vu.enterScenario(this.deps.state);
    vu.lease++;
    this.running.add(vu);
    const stats = this.deps.run.stats;
    stats.peakActive = Math.max(stats.peakActive, stats.vusActive());
  }

  protected give(vu: Vu): void {
    if (!this.running.delete(vu)) return;
    this.deps.pool.release(vu);
  }

  /** Iterates while `keepGoing()`; returns the VU to the pool when done. */
  protected async loop(vu: Vu, keepGoing: () => boolean): Promise<void> {
    let n = 0;
    const lease = vu.lease;
    while (keepGoing() && !vu.interrupted && vu.lease === lease && !this.deps.run.aborted) {
      await runIteration(vu, this.deps.state);
      if (++n % YIELD_EVERY === 0) await yieldToEventLoop();
    }
    if (vu.lease === lease) this.give(vu);
  }

  /** Waits up to `graceMs` for `pending` (or until the test is aborted), then cuts off what runs. */
  protected async drain(pending: Promise<unknown>, graceMs: number): Promise<void> {
    const grace = delay(graceMs);
    const outcome = await Promise.race([
      pending.then(() => 'done' as const),
      grace.promise.then(() => 'timeout' as const),
      this.deps.run.abortedPromise.then(() => 'abort' as const),
    ]);
    grace.cancel();
    if (outcome !== 'done') this.interruptAll();
  }

  protected interruptAll(): void {
    for (const vu of [...this.running]) {
      if (!vu.busy) continue;
      interruptVu(vu);
      this.give(vu);
    }
  }

  /** Resolves at `atMs` into the scenario, or early when the test is aborted. */
  protected async until(atMs: number): Promise<void> {
    await this.untilOr(atMs, new Promise<never>(() => undefined));
  }

  /** Waits for `work`, but no longer than `atMs` into the scenario (or until an abort); the
   * timer is always cleared, so a finished scenario leaves nothing keeping the process alive. */
  protected async untilOr(atMs: number, work: Promise<unknown>): Promise<void> {
    const d = delay(atMs - this.now());
    try {
      await Promise.race([d.promise, work, this.deps.run.abortedPromise]);
    } finally {
      d.cancel();
    }
  }
}
