/** The programmatic API's input and output. */
import type { OptionOverrides } from '../config/k6-options.ts';
import type { SummaryData } from '../summary/summary-data.ts';
import type { ProgressListener, TimeSeriesPoint } from '../output/progress-events.ts';
import type { ExitCode } from './exit-codes.ts';
import type { HttpClientKind } from '../http/client-config.ts';

export interface RunOptions {
  /** Path of the k6 script (the bundle `k6 run` would take). */
  script: string;
  /** `__ENV` of the VUs. The caller decides whether the process environment is included. */
  env?: Record<string, string>;
  /** Laid over the script's `options`, like k6's CLI flags (a shortcut replaces scenarios). */
  options?: OptionOverrides;
  /** Write k6's legacy `--summary-export` JSON to this path. */
  summaryExport?: string;
  /** Outputs, k6 style: "json=points.json", "csv=samples.csv", "json-aggregate=seconds.json",
   * "experimental-prometheus-rw". */
  out?: string[];
  /** Where output settings (K6_PROMETHEUS_RW_*, K6_CSV_TIME_FORMAT) are read from, as k6 reads
   * its process environment; the CLI passes the process's. */
  outputEnv?: Readonly<Record<string, string>>;
  /** Which client carries plain-HTTP requests: the engine's own HTTP/1.1 client (default, the
   * fastest) or undici (which always carries HTTPS). */
  httpClient?: HttpClientKind;
  /** Split the test over this many worker processes (execution segments). */
  workers?: number;
  /** Don't build the default text summary (handleSummary still runs). */
  noSummary?: boolean;
  /** Directory that relative handleSummary file paths are written to; defaults to cwd. */
  cwd?: string;
  /** For summary.state and colours; library callers usually leave these false. */
  isStdOutTTY?: boolean;
  isStdErrTTY?: boolean;
  onProgress?: ProgressListener;
  /** Aborting it stops the test like Ctrl+C does in k6 (teardown and summary still run; exit 105). */
  signal?: AbortSignal;
}

export interface ThresholdResult {
  metric: string;
  threshold: string;
  ok: boolean;
  /** What the aggregation evaluated to at the end of the test. */
  actual: number;
  abortOnFail: boolean;
}

export interface RunResult {
  exitCode: ExitCode;
  /** k6's handleSummary data; undefined when the test could not start (init/config error). */
  summary: SummaryData | undefined;
  thresholds: ThresholdResult[];
  timeSeries: TimeSeriesPoint[];
  /** What k6 prints at the end on stdout: the text summary, or handleSummary's `stdout`. */
  stdout: string;
  /** handleSummary's `stderr`, if any. */
  stderr: string;
  /** Why the run failed or was aborted, for exit codes other than 0 and 99. */
  error?: string;
  /** Files written (handleSummary paths, summary export, outputs). */
  files: string[];
  /**
   * Requests that were sent (or being sent) when their VU was interrupted — gracefulStop or
   * gracefulRampDown expired, the test ended or was aborted, setup()/teardown() timed out — so
   * the script never saw their answers. The server may have acted on each: whatever the script
   * records after a response (a log line, a counter) is missing for them.
   */
  interruptedInFlight: number;
}
