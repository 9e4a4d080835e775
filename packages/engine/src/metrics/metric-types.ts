/** k6's metric vocabulary, shared by the registry, thresholds, summary and outputs. */

export const METRIC_TYPES = ['counter', 'gauge', 'rate', 'trend'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

/** What a metric's values are: k6 formats "time" as durations and "data" as bytes. */
export type ValueType = 'default' | 'time' | 'data';

export type Tags = Record<string, string>;

/** One aggregated metric as k6 hands it to handleSummary(). */
export interface SummaryMetric {
  type: MetricType;
  contains: ValueType;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** Serializable state of a sink, to merge metrics from worker processes. */
export type SinkSnapshot =
  | { type: 'counter'; sum: number }
  | { type: 'gauge'; value: number; min: number; max: number; seen: boolean }
  | { type: 'rate'; trues: number; total: number }
  | { type: 'trend'; count: number; sum: number; min: number; max: number; hdr: string; raw?: number[] };

/** A metric's running aggregate (sinks.ts, trend-sink.ts). */
export interface Sink {
  add(value: number): void;
  /** k6's summary values; `durationMs` turns counts into per-second rates. */
  values(durationMs: number, trendStats: readonly string[]): Record<string, number>;
  /** Value an aggregation method ("count", "p(95)", "rate"…) refers to in a threshold. */
  aggregate(method: string, durationMs: number): number;
  readonly isEmpty: boolean;
  snapshot(): SinkSnapshot;
  merge(snapshot: SinkSnapshot): void;
  /** Frees what the garbage collector cannot (a trend's WebAssembly histogram). */
  dispose?(): void;
}

const NAME = /^[\p{L}\p{N}\._ !?/&#()<>%-]{1,128}$/u;

/** k6 (since v0.45) restricts metric names; we apply the same rule so scripts stay portable. */
export function assertValidMetricName(name: string): void {
  if (!NAME.test(name)) {
    throw new Error(`invalid metric name "${name}": use 1-128 letters, digits, underscores and . !?/&#()<>%-`);
  }
}
