/**
 * Per-second time series for charts (throughput, p95, VUs…): a fixed-size record per second,
 * fed by metric observers, so memory grows with test duration, not with requests.
 */
import type { BuiltinMetrics } from '../metrics/builtin-metrics.ts';
import type { Metric } from '../metrics/metric.ts';
import { newHistogram } from '../metrics/trend-sink.ts';
import type { TimeSeriesPoint } from '../run/events.ts';

type Bucket = Omit<TimeSeriesPoint, 't' | 'time' | 'vus' | 'vusMax' | 'httpReqDurationP95' | 'httpReqDurationAvg'> & { durSum: number };

const empty = (): Bucket => ({
  httpReqs: 0,
  httpReqFailed: 0,
  iterations: 0,
  droppedIterations: 0,
  dataReceived: 0,
  dataSent: 0,
  checksPassed: 0,
  checksFailed: 0,
  durSum: 0,
});

export class TimeSeriesCollector {
  readonly points: TimeSeriesPoint[] = [];
  private bucket = empty();
  private readonly durations = newHistogram();
  private disposed = false;

  constructor(m: BuiltinMetrics) {
    const on = (metric: Metric, fn: (v: number) => void): void => {
      metric.observers.push((_m, v) => fn(v));
    };
    on(m.httpReqs, (v) => (this.bucket.httpReqs += v));
    on(m.httpReqFailed, (v) => (this.bucket.httpReqFailed += v));
    on(m.httpReqDuration, (v) => {
      this.bucket.durSum += v;
      if (!this.disposed) this.durations.recordValue(Math.round(v * 1000));
    });
    on(m.iterations, (v) => (this.bucket.iterations += v));
    on(m.droppedIterations, (v) => (this.bucket.droppedIterations += v));
    on(m.dataReceived, (v) => (this.bucket.dataReceived += v));
    on(m.dataSent, (v) => (this.bucket.dataSent += v));
    on(m.checks, (v) => (v ? this.bucket.checksPassed++ : this.bucket.checksFailed++));
  }

  /** Frees the histogram (WebAssembly memory); the collector cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.durations.destroy();
  }

  /** Closes the current second: `t` is seconds since execution start. */
  flush(t: number, vus: number, vusMax: number): TimeSeriesPoint {
    const b = this.bucket;
    const n = this.durations.totalCount;
    const { durSum, ...counts } = b;
    const point: TimeSeriesPoint = {
      t: Math.round(t * 1000) / 1000,
      time: new Date().toISOString(),
      vus,
      vusMax,
      ...counts,
      httpReqDurationP95: n ? this.durations.getValueAtPercentile(95) / 1000 : 0,
      httpReqDurationAvg: b.httpReqs ? durSum / Math.max(1, n) : 0,
    };
    this.points.push(point);
    this.bucket = empty();
    this.durations.reset();
    return point;
  }
}

/** Adds points of parallel workers that cover the same second (workers mode). */
export function sumPoints(a: TimeSeriesPoint, b: TimeSeriesPoint): TimeSeriesPoint {
  const reqs = a.httpReqs + b.httpReqs;
  return {
    t: Math.max(a.t, b.t),
    time: a.time > b.time ? a.time : b.time,
    vus: a.vus + b.vus,
    vusMax: a.vusMax + b.vusMax,
    httpReqs: reqs,
    httpReqFailed: a.httpReqFailed + b.httpReqFailed,
    // Percentiles do not add; the request-weighted max is the conservative merge.
    httpReqDurationP95: Math.max(a.httpReqDurationP95, b.httpReqDurationP95),
    httpReqDurationAvg: reqs ? (a.httpReqDurationAvg * a.httpReqs + b.httpReqDurationAvg * b.httpReqs) / reqs : 0,
    iterations: a.iterations + b.iterations,
    droppedIterations: a.droppedIterations + b.droppedIterations,
    dataReceived: a.dataReceived + b.dataReceived,
    dataSent: a.dataSent + b.dataSent,
    checksPassed: a.checksPassed + b.checksPassed,
    checksFailed: a.checksFailed + b.checksFailed,
  };
}
