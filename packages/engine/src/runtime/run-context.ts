/**
 * State shared by every VU of one run: metrics, groups, options, the abort switch. VUs and
 * modules hold a reference to it; nothing in it is per-VU.
 */
import { dirname } from 'node:path';
import type { K6Options } from '../config/k6-options.ts';
import { buildStripes, FULL_SEGMENT, type SegmentStripes } from '../config/execution-segment.ts';
import type { BuiltinMetrics } from '../metrics/builtin-metrics.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { LogLevel, ProgressListener } from '../output/progress-events.ts';
import type { GroupTree } from '../metrics/group-tree.ts';
import type { HttpClientKind } from '../http/client-config.ts';
import { httpConfig, type HttpConfig } from '../modules/http-config.ts';
import type { ModuleRun } from '../modules/module-vu.ts';
import { parseDurationMs } from '../config/duration.ts';
import { RequestFailureLog } from '../modules/request-failure-log.ts';

export type AbortCause =
  | { kind: 'script'; message: string }
  | { kind: 'threshold'; message: string }
  | { kind: 'signal'; message: string }
  /** An iteration error that would recur every iteration (recurring-error.ts): exit 107. */
  | { kind: 'script-error'; message: string };

export interface ExecutionStats {
  /** Most VUs active at once so far (a test shorter than one tick still reports its VUs). */
  peakActive: number;
  iterationsCompleted: number;
  iterationsInterrupted: number;
  /** Requests sent and never answered to the script because their VU was interrupted (run-options.ts). */
  interruptedInFlight: number;
  vusActive: () => number;
  vusInitialized: () => number;
}

export class RunContext implements ModuleRun {
  readonly scriptDir: string;
  readonly http: HttpConfig;
  readonly sharedArrays = new Map<string, readonly unknown[]>();
  readonly abortController = new AbortController();
  /** Settles when the test is aborted (never otherwise): executors race against it. */
  readonly abortedPromise: Promise<void> = new Promise((resolve) => {
    this.abortController.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  abortCause: AbortCause | undefined;
  /** performance.now() when execution (after setup) started; 0 before. */
  executionStart = 0;
  executionStartEpochMs = 0;
  readonly stats: ExecutionStats = { peakActive: 0, iterationsCompleted: 0, iterationsInterrupted: 0, interruptedInFlight: 0, vusActive: () => 0, vusInitialized: () => 0 };
  /** Warnings already given, so a hot loop does not flood the log. */
  private readonly warned = new Set<string>();
  /** k6's per-request "Request Failed" warnings, capped (request-failure-log.ts). */
  readonly requestFailures = new RequestFailureLog((message) => this.log('warn', message));
  minIterationDurationMs: number;

  /** setup()'s result as JSON; every VU parses its own copy. */
  setupDataJson: string | undefined;
  /** The consolidated options; set by configure() once the script's init code has run. */
  options: K6Options = {};
  stripes: SegmentStripes;

  constructor(
    readonly id: string,
    readonly scriptPath: string,
    readonly baseEnv: Readonly<Record<string, string>>,
    readonly registry: MetricRegistry,
    readonly metrics: BuiltinMetrics,
    readonly groups: GroupTree,
    private readonly listener: ProgressListener,
    httpClient: HttpClientKind,
  ) {
    this.scriptDir = dirname(scriptPath);
    this.stripes = buildStripes(FULL_SEGMENT);
    this.http = httpConfig({}, httpClient);
    this.minIterationDurationMs = 0;
  }

  /** Applies the consolidated options (VU 0 was initialized with defaults to read them). */
  configure(options: K6Options, stripes: SegmentStripes): void {
    this.options = options;
    this.stripes = stripes;
    // Mutated in place: VU 0's HTTP client already holds this object.
    Object.assign(this.http, httpConfig(options, this.http.client));
    this.minIterationDurationMs = options.minIterationDuration === undefined ? 0 : parseDurationMs(options.minIterationDuration);
  }

  /** exec.test.fail(): the test goes on but ends with exit code 110. */
  failedMessage: string | undefined;

  markFailed(message: string): void {
    this.failedMessage ??= message;
    this.log('error', message);
  }

  get aborted(): boolean {
    return this.abortController.signal.aborted;
  }

  abort(cause: AbortCause): void {
    if (this.aborted) return;
    this.abortCause = cause;
    this.abortController.abort(new Error(cause.message));
  }

  log(level: LogLevel, message: string, extra: { source?: 'console' | 'engine'; vu?: number; scenario?: string } = {}): void {
    this.listener({ type: 'log', level, message, source: extra.source ?? 'engine', ...(extra.vu !== undefined ? { vu: extra.vu } : {}), ...(extra.scenario ? { scenario: extra.scenario } : {}) });
  }

  warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log('warn', message);
  }

  emit: ProgressListener = (e) => this.listener(e);

  /** Milliseconds since execution started (0 during init/setup). */
  elapsedMs(): number {
    return this.executionStart === 0 ? 0 : performance.now() - this.executionStart;
  }
}
