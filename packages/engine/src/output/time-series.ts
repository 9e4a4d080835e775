/**
 * Per-second time series for charts (throughput, p95, VUs…): a fixed-size record per second, so
 * memory grows with test duration, not with requests. Counts are the differences of the metrics'
 * own totals from one second to the next; only the second's p95 needs the samples themselves, so
 * http_req_duration is the one metric observed. (Observing the counts too meant seven more calls
 * per request on the engine's hot path, to keep totals the sinks already keep.)
 */
import type { BuiltinMetrics } from '../metrics/builtin-metrics.ts';
import type { Metric } from '../metrics/metric.ts';
import { CounterSink, RateSink } from '../metrics/sinks.ts';
import { newHistogram, TrendSink } from '../metrics/trend-sink.ts';
import type { TimeSeriesPoint } from './progress-events.ts';

/** The running totals a point is the difference of. */
type Totals = Pick<TimeSeriesPoint, 'httpReqs' | 'httpReqFailed' | 'iterations' | 'droppedIterations' | 'dataReceived' | 'dataSent' | 'checksPassed' | 'checksFailed'> & {
  durationSum: number;
};

function counted(metric: Metric): number {
  const sink = metric.sink;
  if (!(sink instanceof CounterSink)) throw new Error(`${metric.name} is not a counter`);
  return sink.sum;
}

function rated(metric: Metric): RateSink {
  const sink = metric.sink;
  if (!(sink instanceof RateSink)) throw new Error(`${metric.name} is not a rate`);
  return sink;
}

export class TimeSeriesCollector {
  readonly points: TimeSeriesPoint[] = [];
  private readonly durations = newHistogram();
  private disposed = false;
  private last: Totals;

  constructor(private readonly m: BuiltinMetrics) {
    m.httpReqDuration.observers.push((_m, v) => {
      if (!this.disposed) this.durations.recordValue(Math.round(v * 1000));
    });
    this.last = this.totals();
  }

  private totals(): Totals {
    const { m } = this;
    const checks = rated(m.checks);
    const duration = m.httpReqDuration.sink;
    if (!(duration instanceof TrendSink)) throw new Error('http_req_duration is not a trend');
    return {
      httpReqs: counted(m.httpReqs),
      httpReqFailed: rated(m.httpReqFailed).trues,
      iterations: counted(m.iterations),
      droppedIterations: counted(m.droppedIterations),
      dataReceived: counted(m.dataReceived),
      dataSent: counted(m.dataSent),
      checksPassed: checks.trues,
      checksFailed: checks.total - checks.trues,
      durationSum: duration.sum,
    };
  }

  /** Frees the histogram (WebAssembly memory); the collector cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.durations.destroy();
  }

  /** Closes the current second: `t` is seconds since execution start. */
  flush(t: number, vus: number, vusMax: number): TimeSeriesPoint {
    const now = this.totals();
    const was = this.last;
    this.last = now;
    const n = this.durations.totalCount;
    const httpReqs = now.httpReqs - was.httpReqs;
    const point: TimeSeriesPoint = {
      t: Math.round(t * 1000) / 1000,
      time: new Date().toISOString(),
      vus,
      vusMax,
      httpReqs,
      httpReqFailed: now.httpReqFailed - was.httpReqFailed,
      iterations: now.iterations - was.iterations,
      droppedIterations: now.droppedIterations - was.droppedIterations,
      dataReceived: now.dataReceived - was.dataReceived,
      dataSent: now.dataSent - was.dataSent,
      checksPassed: now.checksPassed - was.checksPassed,
      checksFailed: now.checksFailed - was.checksFailed,
      httpReqDurationP95: n ? this.durations.getValueAtPercentile(95) / 1000 : 0,
      httpReqDurationAvg: httpReqs && n ? (now.durationSum - was.durationSum) / n : 0,
    };
    this.points.push(point);
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
