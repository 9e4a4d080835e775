/**
 * Counter, gauge and rate sinks: constant memory whatever the number of samples. The trend sink,
 * which needs a histogram, lives in trend-sink.ts.
 */
import type { Sink, SinkSnapshot } from './metric-types.ts';
import { TrendSink } from './trend-sink.ts';

export class CounterSink implements Sink {
  sum = 0;
  private seen = false;
  add(value: number): void {
    this.sum += value;
    this.seen = true;
  }
  get isEmpty(): boolean {
    return !this.seen;
  }
  values(durationMs: number): Record<string, number> {
    return { count: this.sum, rate: durationMs > 0 ? (this.sum * 1000) / durationMs : 0 };
  }
  aggregate(method: string, durationMs: number): number {
    return this.values(durationMs)[method] ?? Number.NaN;
  }
  snapshot(): SinkSnapshot {
    return { type: 'counter', sum: this.sum };
  }
  merge(s: SinkSnapshot): void {
    if (s.type !== 'counter') throw new Error('cannot merge a non-counter into a counter');
    this.sum += s.sum;
    this.seen ||= s.sum !== 0;
  }
}

export class GaugeSink implements Sink {
  value = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private seen = false;
  add(value: number): void {
    this.value = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.seen = true;
  }
  get isEmpty(): boolean {
    return !this.seen;
  }
  values(): Record<string, number> {
    return this.seen ? { value: this.value, min: this.min, max: this.max } : { value: 0, min: 0, max: 0 };
  }
  aggregate(method: string): number {
    return this.values()[method] ?? Number.NaN;
  }
  snapshot(): SinkSnapshot {
    return { type: 'gauge', value: this.value, min: this.min, max: this.max, seen: this.seen };
  }
  merge(s: SinkSnapshot): void {
    if (s.type !== 'gauge') throw new Error('cannot merge a non-gauge into a gauge');
    if (!s.seen) return;
    // Gauges of parallel workers (vus, vus_max) describe parts of one whole, so their last values add up.
    this.value = this.seen ? this.value + s.value : s.value;
    this.min = Math.min(this.min, s.min);
    this.max = this.seen ? Math.max(this.max, this.value, s.max) : s.max;
    this.seen = true;
  }
}

export class RateSink implements Sink {
  trues = 0;
  total = 0;
  add(value: number): void {
    this.total++;
    if (value !== 0) this.trues++;
  }
  get isEmpty(): boolean {
    return this.total === 0;
  }
  values(): Record<string, number> {
    return { rate: this.total ? this.trues / this.total : 0, passes: this.trues, fails: this.total - this.trues };
  }
  aggregate(method: string): number {
    return method === 'rate' ? this.values().rate ?? 0 : Number.NaN;
  }
  snapshot(): SinkSnapshot {
    return { type: 'rate', trues: this.trues, total: this.total };
  }
  merge(s: SinkSnapshot): void {
    if (s.type !== 'rate') throw new Error('cannot merge a non-rate into a rate');
    this.trues += s.trues;
    this.total += s.total;
  }
}

export function createSink(type: SinkSnapshot['type']): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}
