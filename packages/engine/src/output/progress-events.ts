/** What the engine reports while it runs; library code never prints, callers decide. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One second of the test, for charts: built from the same samples as the summary. */
export interface TimeSeriesPoint {
  /** Seconds since the start of execution (end of the bucket). */
  t: number;
  /** Wall-clock time of the end of the bucket, ISO 8601. */
  time: string;
  vus: number;
  vusMax: number;
  httpReqs: number;
  /** Failed (unexpected) HTTP requests in the bucket. */
  httpReqFailed: number;
  /** http_req_duration of the bucket's requests, ms; 0 when there were none. */
  httpReqDurationP95: number;
  httpReqDurationAvg: number;
  iterations: number;
  droppedIterations: number;
  dataReceived: number;
  dataSent: number;
  checksPassed: number;
  checksFailed: number;
}

export interface ScenarioProgress {
  name: string;
  executor: string;
  /** 0..1 of the scenario's planned time (or iterations). */
  progress: number;
  activeVUs: number;
  iterationsCompleted: number;
  iterationsInterrupted: number;
}

export type ProgressEvent =
  | { type: 'log'; level: LogLevel; message: string; source: 'console' | 'engine'; vu?: number; scenario?: string }
  | { type: 'phase'; phase: 'init' | 'setup' | 'running' | 'teardown' | 'summary' }
  | { type: 'tick'; point: TimeSeriesPoint; scenarios: ScenarioProgress[] };

export type ProgressListener = (event: ProgressEvent) => void;
