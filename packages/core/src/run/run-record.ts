import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RUNS_DIR } from '@perf-lab/contract';
import type { RunStart } from '../audit/run-start.ts';
import { ConfigError } from '../errors.ts';
import type { OutcomeCounts } from './outcome-tally.ts';
import type { EngineKind, HttpClientKind } from './run-engines.ts';
import type { FaultRecord } from '../fault/fault-injector.ts';
import type { CpuReport } from '@perf-lab/process-cpu';

/** One second of the run, for charts: what the report draws and gate compares. */
export interface TimeSeriesPoint {
  readonly t: number;
  readonly requests: number;
  readonly p95Ms: number | null;
  readonly vus: number;
  readonly systemFailures: number;
  /** Operations that finished in this second by class and reason (embedded engine runs). */
  readonly outcomes?: OutcomeCounts;
  /** Percentiles of this second's successful operations, ms (embedded engine runs). */
  readonly successMs?: { readonly p50: number; readonly p95: number; readonly p99: number } | null;
}

/** k6's summary data structure (handleSummary's argument), the parts perf-lab reads. */
export interface K6Summary {
  readonly metrics: Record<string, {
    readonly type: string;
    readonly contains?: string;
    readonly values: Record<string, number>;
    readonly thresholds?: Record<string, { readonly ok: boolean }>;
  }>;
  readonly state?: { readonly testRunDurationMs?: number; readonly isStdOutTTY?: boolean };
}

/** What a run folder's run.json records: enough to repeat the run and to read its results. */
export interface RunRecord {
  readonly version: 1;
  readonly scenario: string;
  readonly profile: string;
  readonly description: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly target: string;
  readonly engine: EngineKind;
  /** The embedded engine's client for plain HTTP (absent for k6 runs and in older records). */
  readonly httpClient?: HttpClientKind;
  readonly exitCode: number;
  readonly thresholdsPassed: boolean;
  readonly aborted: boolean;
  /** Why perf-lab stopped the run before its end (every request a system failure). */
  readonly abortReason?: string;
  /**
   * Requests that were sent when their VU was cut off (gracefulStop or gracefulRampDown expired,
   * the run ended or was aborted): the server may have acted on each, and the script never got
   * the answer it logs. The embedded engine's count; absent when unknown (a k6 binary's run,
   * older records).
   */
  readonly interruptedInFlight?: number;
  /** Every operation's outcome by class and reason, from the operations log. */
  readonly outcomes?: OutcomeCounts;
  readonly load: unknown;
  readonly env: Readonly<Record<string, string>>;
  readonly serverSettings: Readonly<Record<string, string>>;
  /**
   * Where serverSettings came from: given by the caller, from the server perf-lab started at
   * the target (`serve`, `lab`), or what the server reported on GET /health (its coupon
   * strategy). `unknown`: none of these — the audit then needs `audit --set` to know them.
   * Absent in older records.
   */
  readonly serverSettingsFrom?: 'given' | 'started by perf-lab' | 'reported by the server' | 'unknown';
  /** Where the run began in each table (see audit/run-start.ts); null when MySQL could not say. */
  readonly runStart?: RunStart | null;
  readonly versions: Readonly<Record<string, string>>;
  /** Faults injected during the load, with when each started, was undone and recovered. */
  readonly faults?: readonly FaultRecord[];
  /** A test split over load generators (`run --segment`, then `merge`): the parts merged into this one. */
  readonly distributed?: {
    readonly parts: readonly string[];
    readonly segments: readonly string[];
    readonly sequence: string;
    readonly scriptHash: string;
  };
  /** This folder is one generator's part of such a test (`run --segment`), not a whole test. */
  readonly segment?: string;
  /** CPU per process over the load and per successful operation (absent in older records). */
  readonly cpu?: CpuReport;
}

export const RUN_FILES = {
  record: 'run.json',
  summary: 'summary.json',
  timeSeries: 'timeseries.json',
  operations: 'operations.log',
  manifest: 'seed-manifest.json',
  audit: 'audit.json',
  report: 'report.md',
} as const;

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new ConfigError(`no ${what} at ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export interface LoadedRun {
  readonly dir: string;
  readonly record: RunRecord;
  readonly summary: K6Summary;
  readonly timeSeries: readonly TimeSeriesPoint[];
}

export function loadRun(dir: string): LoadedRun {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`run folder ${dir} does not exist — pass one from ${RUNS_DIR}/`);
  return {
    dir,
    record: readJson<RunRecord>(path.join(dir, RUN_FILES.record), 'run record (run.json)'),
    summary: readJson<K6Summary>(path.join(dir, RUN_FILES.summary), 'summary (summary.json)'),
    timeSeries: existsSync(path.join(dir, RUN_FILES.timeSeries)) ? readJson<TimeSeriesPoint[]>(path.join(dir, RUN_FILES.timeSeries), 'time series') : [],
  };
}

/**
 * The newest run folder under runsDir (names start with a sortable timestamp), optionally
 * older than `before` and whose run.json satisfies `matches`.
 */
export function latestRunDir(runsDir: string, before?: string, matches?: (record: RunRecord) => boolean): string | undefined {
  if (!existsSync(runsDir)) return undefined;
  const dirs = readdirSync(runsDir).filter((d) => existsSync(path.join(runsDir, d, RUN_FILES.record))).sort();
  const candidates = (before ? dirs.filter((d) => d < path.basename(before)) : dirs).reverse();
  const found = candidates.find((d) => !matches || matches(readJson<RunRecord>(path.join(runsDir, d, RUN_FILES.record), 'run record (run.json)')));
  return found ? path.join(runsDir, found) : undefined;
}
