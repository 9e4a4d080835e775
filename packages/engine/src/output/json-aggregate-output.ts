/**
 * `--out json-aggregate=FILE`: k6's JSON line format ({"type":"Metric",…} and {"type":"Point",…})
 * aggregated — one Point per metric, tag set and second instead of one per sample, so the file
 * grows with (series × seconds), not with requests. Not a k6 output (k6's `json` writes every
 * sample: json-points-output.ts); it is the engine's cheap variant for long, heavy runs. A
 * Point's `value` is the second's natural aggregate (counter: sum, gauge: last, rate: share of
 * non-zero samples, trend: mean) and `data.aggregate` adds {count, sum, min, max} for the bucket.
 */
import type { Metric } from '../metrics/metric.ts';
import type { Tags } from '../metrics/metric-types.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { ThresholdSet } from '../thresholds/threshold-set.ts';
import type { LineSink } from './line-sink.ts';
import { MetricDeclarations } from './metric-declaration.ts';
import { observeEveryMetric, type SampleOutput } from './sample-output.ts';
import { TagSetKeys } from './tag-set-keys.ts';

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

export class JsonAggregateOutput implements SampleOutput {
  private buckets = new Map<string, Agg>();
  private readonly tagKeys = new TagSetKeys();
  private readonly declarations: MetricDeclarations;

  constructor(
    private readonly sink: LineSink,
    readonly file: string | undefined,
    thresholds?: ThresholdSet,
  ) {
    this.declarations = new MetricDeclarations(thresholds);
  }

  get description(): string {
    return `json-aggregate (${this.file ?? 'worker'})`;
  }

  attach(registry: MetricRegistry): void {
    observeEveryMetric(registry, (metric, value, tags) => this.observe(metric, value, tags));
  }

  private observe(metric: Metric, value: number, tags: Tags): void {
    const key = `${metric.name}\u0001${this.tagKeys.of(tags)}`;
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
      out += this.declarations.before(m);
      const value = m.type === 'counter' ? a.sum : m.type === 'gauge' ? a.last : m.type === 'rate' ? a.nonZero / a.count : a.sum / a.count;
      out += `${JSON.stringify({ type: 'Point', data: { time: iso, value, tags: a.tags, aggregate: { count: a.count, sum: a.sum, min: a.min, max: a.max } }, metric: m.name })}\n`;
    }
    this.buckets = new Map();
    this.sink.append(out);
    this.sink.flush();
  }

  writeForwarded(text: string): void {
    this.sink.append(this.declarations.filterForwarded(text));
  }

  close(): Promise<void> {
    this.flush(new Date());
    return this.sink.close();
  }
}
