/**
 * One virtual user: its own module instances (the script evaluated once per VU, as k6 does),
 * its own HTTP connection pool, its counters and tags. Iterations run in run-iteration.ts.
 */
import type { Tags } from '../metrics/metric-types.ts';
import type { RunContext } from './run-context.ts';
import type { ScenarioState } from './scenario-state.ts';
import { VuHttpClient } from '../http/vu-http-client.ts';
import { defaultResponseCallback, type ResponseCallback } from '../modules/expected-statuses.ts';
import type { Cancellable, ModuleVu, VuPhase } from '../modules/module-vu.ts';

export class Vu implements ModuleVu {
  readonly env: Record<string, string>;
  /** exec.vu.tags: user tags added to every sample this VU emits. */
  readonly userTags: Record<string, string>;
  readonly http: VuHttpClient;
  phase: VuPhase = 'init';
  groupPath = '';
  scenario: ScenarioState | undefined;
  iterationInScenario = -1;
  iterationInInstance = -1;
  scenarioIterationInInstance = -1;
  scenarioIterationInTest = -1;
  /** Set when an iteration was cut off (gracefulStop, abort), until the pool lends the VU again. */
  interrupted = false;
  /** An iteration is in progress. */
  busy = false;
  /** Counts the times an executor took this VU: a loop that outlived its loan (an abandoned
   * iteration resumed by a promise the engine does not control) sees that it is no longer its. */
  lease = 0;
  exports: Record<string, unknown> = {};
  private setupDataCopy: { json: string; value: unknown } | undefined;
  responseCallback: ResponseCallback | null = defaultResponseCallback;
  bytesSent = 0;
  bytesReceived = 0;
  /** Pending sleeps, timers and requests, cancelled when the VU is interrupted. */
  readonly pending = new Set<Cancellable>();
  readonly iterationListeners: Array<(iteration: number) => void> = [];
  /** Sleeps started in the current iteration, to tell when one was not awaited. */
  readonly pendingSleeps: Array<{ awaited: boolean }> = [];
  private cachedTags: Tags | undefined;
  private readonly scenarioIterations = new Map<string, number>();
  private readonly execFns = new Map<string, (data: unknown) => unknown>();
  private idleWaiter: (() => void) | undefined;
  /** Base tag sets by group path, so code that enters groups every iteration reuses them. */
  private tagsByGroup = new Map<string, Tags>();
  /** Derived tag sets (per request shape) of each base tag set; see findDerivedTags(). */
  private derived = new WeakMap<Tags, Map<string, Map<number, Tags>>>();

  constructor(
    readonly run: RunContext,
    readonly idInInstance: number,
    readonly idInTest: number,
  ) {
    this.env = { ...run.baseEnv };
    this.userTags = new Proxy({} as Record<string, string>, {
      set: (target, key, value) => {
        if (typeof key === 'string') target[key] = String(value);
        this.resetTags();
        return true;
      },
      deleteProperty: (target, key) => {
        if (typeof key === 'string') delete target[key];
        this.resetTags();
        return true;
      },
    });
    this.http = new VuHttpClient(run.http);
    this.http.onIdle = () => this.workEnded();
  }

  /** Something this VU started is still pending: a request, a timer, a sleep. */
  hasAsyncWork(): boolean {
    return this.pending.size > 0 || this.http.busy;
  }

  /** Settles once nothing this VU started is pending. k6 ends an iteration only then (its event
   * loop waits for every registered callback), so un-awaited requests and timers still count. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiter = resolve;
      this.workEnded();
    });
  }

  /** A sleep or timer fired or was cleared (requests tell their end through the client's onIdle). */
  untrackPending(p: Cancellable): void {
    this.pending.delete(p);
    this.workEnded();
  }

  private workEnded(): void {
    const waiter = this.idleWaiter;
    if (waiter && !this.hasAsyncWork()) {
      this.idleWaiter = undefined;
      waiter();
    }
  }

  /** Tags every sample of this VU carries now: test tags < scenario tags < vu.tags < system tags. */
  tags(): Tags {
    if (this.cachedTags) return this.cachedTags;
    let t = this.tagsByGroup.get(this.groupPath);
    if (!t) {
      t = { ...(this.run.options.tags ?? {}) };
      if (this.scenario) Object.assign(t, this.scenario.tags);
      Object.assign(t, this.userTags);
      t.group = this.groupPath;
      if (this.scenario) t.scenario = this.scenario.name;
      Object.freeze(t);
      if (this.tagsByGroup.size >= 1024) this.tagsByGroup.clear();
      this.tagsByGroup.set(this.groupPath, t);
    }
    this.cachedTags = t;
    return t;
  }

  /** Scenario or vu.tags changed: every cached tag set is stale. */
  private resetTags(): void {
    this.cachedTags = undefined;
    this.tagsByGroup = new Map();
  }

  /**
   * The base tags plus per-sample tags (method, url, status…), built once per distinct `key`
   * and numeric `code` (a request's shape, then its outcome: two lookups, no string building).
   * Allocating a fresh tag object for each of the dozen samples of a request dominated the
   * engine's CPU profile; a tag set is also what a time series is keyed by, so the number of
   * entries is the number of series this VU produces (capped, in case a URL tag is unbounded).
   * A lookup that misses is followed by `deriveTags` with the extra tags: two calls rather than
   * a builder callback, so the hit, which is nearly every call, allocates no closure.
   */
  findDerivedTags(key: string, code = 0): Tags | undefined {
    return this.derived.get(this.tags())?.get(key)?.get(code);
  }

  deriveTags(key: string, code: number, extra: Tags): Tags {
    const base = this.tags();
    let cache = this.derived.get(base);
    if (!cache) this.derived.set(base, (cache = new Map()));
    let byCode = cache.get(key);
    if (!byCode) {
      if (cache.size >= 4096) cache.clear();
      cache.set(key, (byCode = new Map()));
    }
    const t = Object.freeze({ ...base, ...extra });
    byCode.set(code, t);
    return t;
  }

  setGroup(path: string): void {
    this.groupPath = path;
    this.cachedTags = undefined;
  }

  /** As k6 (its VU keeps a counter per scenario name): a VU lent to the same scenario again
   * goes on counting `exec.vu.iterationInScenario` where it left off. */
  enterScenario(state: ScenarioState | undefined): void {
    if (this.scenario) this.scenarioIterations.set(this.scenario.name, this.iterationInScenario);
    this.scenario = state;
    this.iterationInScenario = state ? (this.scenarioIterations.get(state.name) ?? -1) : -1;
    for (const k of Object.keys(this.env)) delete this.env[k];
    Object.assign(this.env, this.run.baseEnv, state?.scenario.env ?? {});
    this.resetTags();
  }

  /** The exported function a scenario runs, looked up once: reading a module namespace by key
   * is a slow runtime call, and it happened on every iteration. */
  execFunction(name: string): (data: unknown) => unknown {
    let fn = this.execFns.get(name);
    if (fn === undefined) {
      fn = this.exports[name] as (data: unknown) => unknown;
      this.execFns.set(name, fn);
    }
    return fn;
  }

  /** The setup() data, a fresh JSON copy per VU as in k6 (VUs may mutate theirs). */
  setupData(): unknown {
    const json = this.run.setupDataJson;
    if (json === undefined) return undefined;
    if (this.setupDataCopy?.json !== json) this.setupDataCopy = { json, value: JSON.parse(json) };
    return this.setupDataCopy.value;
  }

  /** Cuts off whatever the VU is awaiting: pending promises are left unsettled, so the abandoned
   * iteration stays suspended and is garbage-collected, and no further sample is recorded. */
  interrupt(): void {
    this.interrupted = true;
    for (const p of this.pending) p.cancel();
    this.pending.clear();
    this.run.stats.interruptedInFlight += this.http.cancelAll();
    void this.http.close();
  }

  /** Back from an interruption (vu-pool.ts): what the abandoned iteration left is dropped. Its
   * idle waiter above all, which a later iteration's last request would otherwise resume. */
  reactivate(): void {
    this.interrupted = false;
    this.busy = false;
    this.idleWaiter = undefined;
    this.pendingSleeps.length = 0;
    this.setGroup('');
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
