/**
 * Trend sink: count/sum/min/max exactly, percentiles from an HDR histogram (3 significant
 * digits, mergeable across workers, fixed memory whatever the number of samples).
 *
 * Small samples are the exception: up to EXACT_LIMIT values are also kept raw, and while they fit
 * percentiles use k6's own formula (linear interpolation between the closest ranks), so a test of
 * a handful of iterations reports the same p(95) as k6 would, not an HDR bucket boundary.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, initWebAssemblySync, type Histogram } from 'hdr-histogram-js';
import type { Sink, SinkSnapshot } from './metric-types.ts';

/** Values are stored in thousandths (µs for time trends) so sub-millisecond timings keep precision. */
const SCALE = 1000;
const EXACT_LIMIT = 1000;

// hdr-histogram-js' WebAssembly build records a value in ~20–40 ns against ~170–230 ns for its
// JavaScript build (which finds the bucket with Math.log2 and Math.pow), and a request records
// about ten values. Its histograms live in WebAssembly memory, so they must be destroyed:
// TrendSink.dispose(), called when the run's registry is disposed, and TimeSeriesCollector's.
initWebAssemblySync();

export function newHistogram(): Histogram {
  return build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: 3, useWebAssembly: true });
}

export class TrendSink implements Sink {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private readonly hdr: Histogram = newHistogram();
  private raw: number[] | undefined = [];
  /** Zeros not yet in the histogram: http_req_connecting and _tls_handshaking are zero for
   * nearly every request on a kept-alive connection, and counting them is cheaper than HDR's
   * index arithmetic (a log2 and a pow per value). */
  private zeros = 0;
  private disposed = false;

  add(value: number): void {
    if (this.disposed) return; // a late sample of a finished run (an abandoned iteration)
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // HDR cannot hold negatives; min/max/avg stay exact, percentiles of negative values clamp to 0.
    if (value > 0) this.hdr.recordValue(Math.round(value * SCALE));
    else this.zeros++;
    if (this.raw) {
      if (this.raw.length < EXACT_LIMIT) this.raw.push(value);
      else this.raw = undefined;
    }
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Frees the histogram's WebAssembly memory; the sink cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.hdr.destroy();
  }

  /** Puts the zeros counted by add() into the histogram before it is read. */
  private settleZeros(): void {
    if (this.disposed) throw new Error('a trend was read after its run was disposed');
    if (this.zeros === 0) return;
    this.hdr.recordValueWithCount(0, this.zeros);
    this.zeros = 0;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (this.raw) return exactPercentile(this.raw, p);
    this.settleZeros();
    const v = this.hdr.getValueAtPercentile(p) / SCALE;
    return Math.min(Math.max(v, this.min), this.max);
  }

  aggregate(method: string): number {
    if (this.count === 0) return 0;
    switch (method) {
      case 'avg':
        return this.sum / this.count;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'med':
        return this.percentile(50);
      case 'count':
        return this.count;
    }
    const p = parsePercentileMethod(method);
    return p === undefined ? Number.NaN : this.percentile(p);
  }

  values(_durationMs: number, trendStats: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const stat of trendStats) out[stat] = this.aggregate(stat);
    return out;
  }

  snapshot(): SinkSnapshot {
    this.settleZeros();
    return {
      type: 'trend',
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max,
      hdr: encodeIntoCompressedBase64(this.hdr),
      ...(this.raw ? { raw: this.raw } : {}),
    };
  }

  merge(s: SinkSnapshot): void {
    if (s.type !== 'trend') throw new Error('cannot merge a non-trend into a trend');
    if (s.count === 0) return;
    this.count += s.count;
    this.sum += s.sum;
    this.min = Math.min(this.min, s.min);
    this.max = Math.max(this.max, s.max);
    this.settleZeros();
    const other = decodeFromCompressedBase64(s.hdr, 32, true);
    try {
      this.hdr.add(other);
    } finally {
      other.destroy();
    }
    this.raw = this.raw && s.raw && this.raw.length + s.raw.length <= EXACT_LIMIT ? [...this.raw, ...s.raw] : undefined;
  }
}

/** "p(95)" → 95, "p(99.9)" → 99.9; undefined when not a percentile method. */
export function parsePercentileMethod(method: string): number | undefined {
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(method);
  if (!m || m[1] === undefined) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

/** k6's percentile: sort, then interpolate linearly at rank p/100 × (n − 1). */
export function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 1) return sorted[0] as number;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}
