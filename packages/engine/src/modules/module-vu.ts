/**
 * What a k6 module sees of the VU that imported it, and of the run: the narrow interface the
 * script-facing modules are written against (as k6's modules see `modules.VU`, not the runner's
 * VU). runtime/vu.ts and runtime/run-context.ts implement it; nothing here imports the runtime,
 * so the modules can be read, and changed, without it. Each module takes only the members it
 * uses (`Pick<ModuleVu, …>`, e.g. k6-timers.ts's TimersVu).
 */
import type { K6Options } from '../config/k6-options.ts';
import type { HttpConfig } from './http-config.ts';
import type { ExchangeOwner } from '../http/exchange.ts';
import type { OutgoingRequest } from '../http/outgoing-request.ts';
import type { BuiltinMetrics } from '../metrics/builtin-metrics.ts';
import type { Tags } from '../metrics/metric-types.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { LogLevel } from '../output/progress-events.ts';
import type { ResponseCallback } from './expected-statuses.ts';

export type VuPhase = 'init' | 'setup' | 'vu' | 'teardown' | 'summary';

/** Something a VU started that its interruption must stop: a sleep, a timer, a request. */
export interface Cancellable {
  cancel(): void;
}

/** The scenario a VU is running, as k6/execution reports it. */
export interface ModuleScenario {
  readonly name: string;
  readonly scenario: { readonly executor: string };
  readonly startEpochMs: number;
  progress(): number;
}

/** The run, as the modules use it: its metrics, groups, options, log and abort switch. */
export interface ModuleRun {
  readonly scriptDir: string;
  readonly http: HttpConfig;
  readonly options: K6Options;
  readonly registry: MetricRegistry;
  readonly metrics: BuiltinMetrics;
  readonly groups: {
    ensure(path: string): void;
    recordCheck(groupPath: string, name: string, ok: boolean): void;
  };
  readonly sharedArrays: Map<string, readonly unknown[]>;
  readonly stats: {
    readonly iterationsCompleted: number;
    readonly iterationsInterrupted: number;
    vusActive(): number;
    vusInitialized(): number;
  };
  elapsedMs(): number;
  abort(cause: { kind: 'script'; message: string }): void;
  markFailed(message: string): void;
  log(level: LogLevel, message: string, extra?: { source?: 'console' | 'engine'; vu?: number; scenario?: string }): void;
  warnOnce(key: string, message: string): void;
  /** A request that got no response and does not throw: k6's "Request Failed" warning. */
  readonly requestFailures: { report(method: string, url: string, error: string): void };
}

export interface ModuleVu {
  readonly run: ModuleRun;
  readonly idInInstance: number;
  readonly idInTest: number;
  readonly env: Record<string, string>;
  /** exec.vu.tags */
  readonly userTags: Record<string, string>;
  readonly phase: VuPhase;
  readonly interrupted: boolean;
  readonly scenario: ModuleScenario | undefined;
  readonly iterationInInstance: number;
  readonly iterationInScenario: number;
  readonly scenarioIterationInInstance: number;
  readonly scenarioIterationInTest: number;
  readonly groupPath: string;
  setGroup(path: string): void;
  tags(): Tags;
  findDerivedTags(key: string, code?: number): Tags | undefined;
  deriveTags(key: string, code: number, extra: Tags): Tags;
  /** Pending sleeps and timers (requests are tracked by the HTTP client). */
  readonly pending: Set<Cancellable>;
  untrackPending(p: Cancellable): void;
  readonly pendingSleeps: Array<{ awaited: boolean }>;
  readonly iterationListeners: Array<(iteration: number) => void>;
  responseCallback: ResponseCallback | null;
  bytesSent: number;
  bytesReceived: number;
  readonly http: { dispatch(req: OutgoingRequest, owner: ExchangeOwner): void };
}
