/**
 * `--out json=FILE` in k6's line format ({"type":"Metric",…} and {"type":"Point",…}), aggregated:
 * one Point per metric, tag set and second instead of one per sample, so the file grows with
 * (series × seconds), not with requests. A Point's `value` is the second's natural aggregate
 * (counter: sum, gauge: last, rate: share of non-zero samples, trend: mean) and
 * `data.aggregate` adds {count, sum, min, max} for the bucket.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Metric } from '../metrics/metric.ts';
import type { Tags } from '../metrics/metric-types.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { ThresholdSet } from '../thresholds/threshold-set.ts';

interface Agg {
  metric: Metric;
  tags: Tags;
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  nonZero: number;
}

export class JsonLinesOutput {
  private readonly stream: WriteStream;
  private closing: Promise<void> | undefined;
  private buckets = new Map<string, Agg>();
  private readonly keys = new WeakMap<Tags, string>();
  private readonly announced = new Set<string>();
  /** Where lines go instead of the file (worker processes send them to the parent). */
  onLines: ((lines: string) => void) | undefined;

  constructor(
    path: string | undefined,
    private readonly thresholds?: ThresholdSet,
  ) {
    this.stream = path ? createWriteStream(path) : (undefined as unknown as WriteStream);
  }

  attach(registry: MetricRegistry): void {
    for (const m of registry.all()) m.observers.push((metric, value, tags) => this.observe(metric, value, tags));
  }

  private seriesKey(tags: Tags): string {
    let k = this.keys.get(tags);
    if (k === undefined) {
      k = Object.keys(tags).sort().map((t) => `${t}=${tags[t]}`).join('\u0000');
      this.keys.set(tags, k);
    }
    return k;
  }

  private observe(metric: Metric, value: number, tags: Tags): void {
    const key = `${metric.name}\u0001${this.seriesKey(tags)}`;
    let a = this.buckets.get(key);
    if (!a) {
      a = { metric, tags, count: 0, sum: 0, min: value, max: value, last: value, nonZero: 0 };
      this.buckets.set(key, a);
    }
    a.count++;
    a.sum += value;
    if (value < a.min) a.min = value;
    if (value > a.max) a.max = value;
    a.last = value;
    if (value !== 0) a.nonZero++;
  }

  /** Writes the closed second's buckets. */
  flush(time: Date): void {
    if (this.buckets.size === 0) return;
    const iso = time.toISOString();
    let out = '';
    for (const a of this.buckets.values()) {
      const m = a.metric;
      if (!this.announced.has(m.name)) {
        this.announced.add(m.name);
        const th = this.thresholds?.all.filter((t) => t.metric === m.name).map((t) => t.source) ?? [];
        out += `${JSON.stringify({ type: 'Metric', data: { name: m.name, type: m.type, contains: m.contains, thresholds: th, submetrics: null }, metric: m.name })}\n`;
      }
      const value = m.type === 'counter' ? a.sum : m.type === 'gauge' ? a.last : m.type === 'rate' ? a.nonZero / a.count : a.sum / a.count;
      out += `${JSON.stringify({ type: 'Point', data: { time: iso, value, tags: a.tags, aggregate: { count: a.count, sum: a.sum, min: a.min, max: a.max } }, metric: m.name })}\n`;
    }
    this.buckets = new Map();
    if (this.onLines) this.onLines(out);
    else this.stream.write(out);
  }

  write(lines: string): void {
    this.stream.write(lines);
  }

  /** Ends the file; idempotent, since a run that fails early closes it from its clean-up too. */
  close(): Promise<void> {
    if (!this.stream) return Promise.resolve();
    this.closing ??= new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return this.closing;
  }
}
