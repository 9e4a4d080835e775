/**
 * `--out experimental-prometheus-rw`: k6's Prometheus remote-write output. Every time series
 * (metric + tag set) keeps its own running aggregate from the start of the test, and every push
 * interval the series that received samples are sent with k6's names:
 *   counter → k6_<name>_total (running sum)      gauge → k6_<name> (last value)
 *   rate    → k6_<name>_rate (share of non-zero)  trend → k6_<name>_<stat> per configured stat
 * (p(99) → _p99, avg → _avg…; time trends in seconds, as k6 converts them). Tags become labels.
 * A series' timestamp is its latest sample's millisecond, kept strictly increasing between
 * pushes so that Prometheus never sees a duplicate sample.
 */
import type { Metric } from '../../metrics/metric.ts';
import type { Sink, Tags } from '../../metrics/metric-types.ts';
import type { MetricRegistry } from '../../metrics/registry.ts';
import { createSink } from '../../metrics/sinks.ts';
import { TrendSink } from '../../metrics/trend-sink.ts';
import { observeEveryMetric, type OutputLog, type SampleOutput } from '../sample-output.ts';
import { TagSetKeys } from '../tag-set-keys.ts';
import type { RemoteWriteConfig } from './remote-write-config.ts';
import { encodeWriteRequest, type PromSeries } from './write-request.ts';

interface Series {
  readonly metric: Metric;
  readonly labels: ReadonlyArray<{ name: string; value: string }>;
  readonly sink: Sink;
  latestMs: number;
  sentMs: number;
  dirty: boolean;
}

/** Prometheus accepts [a-zA-Z_:][a-zA-Z0-9_:]* for names and [a-zA-Z_][a-zA-Z0-9_]* for labels. */
const promName = (s: string): string => s.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^([0-9])/, '_$1');
const promLabel = (s: string): string => s.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1');

export class RemoteWriteOutput implements SampleOutput {
  readonly file = undefined;
  private readonly series = new Map<string, Series>();
  private readonly tagKeys = new TagSetKeys();
  private timer: NodeJS.Timeout | undefined;
  private pushing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Pushes the receiver accepted, and the samples they carried (for tests and the log). */
  pushes = 0;
  samplesSent = 0;

  constructor(
    private readonly config: RemoteWriteConfig,
    private readonly log: OutputLog,
  ) {}

  get description(): string {
    return `Prometheus remote write (${this.config.url})`;
  }

  attach(registry: MetricRegistry): void {
    observeEveryMetric(registry, (metric, value, tags) => this.observe(metric, value, tags));
    this.timer = setInterval(() => this.schedulePush(), this.config.pushIntervalMs);
    this.timer.unref();
  }

  private observe(metric: Metric, value: number, tags: Tags): void {
    const key = `${metric.name}\u0001${this.tagKeys.of(tags)}`;
    let s = this.series.get(key);
    if (!s) {
      const labels = Object.keys(tags).map((k) => ({ name: promLabel(k), value: tags[k] as string }));
      s = { metric, labels, sink: createSink(metric.type), latestMs: 0, sentMs: 0, dirty: false };
      this.series.set(key, s);
    }
    s.sink.add(value);
    s.latestMs = Date.now();
    s.dirty = true;
  }

  /** The run's tick: nothing to do, pushes follow their own interval. */
  flush(): void {}

  private schedulePush(): Promise<void> {
    this.pushing = this.pushing.then(() => this.push());
    return this.pushing;
  }

  private toPromSeries(s: Series, ts: number): PromSeries[] {
    const base = `k6_${promName(s.metric.name)}`;
    const one = (name: string, value: number): PromSeries => ({
      labels: [...s.labels, { name: '__name__', value: name }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      samples: [{ value, timestamp: ts }],
    });
    switch (s.metric.type) {
      case 'counter':
        return [one(`${base}_total`, s.sink.aggregate('count', 0))];
      case 'gauge':
        return [one(base, s.sink.aggregate('value', 0))];
      case 'rate':
        return [one(`${base}_rate`, s.sink.aggregate('rate', 0))];
      case 'trend': {
        const toSeconds = s.metric.contains === 'time';
        return this.config.trendStats.map(({ stat, suffix }) => {
          const v = stat === 'sum' && s.sink instanceof TrendSink ? s.sink.sum : s.sink.aggregate(stat, 0);
          return one(`${base}_${suffix}`, toSeconds && stat !== 'count' ? v / 1000 : v);
        });
      }
    }
  }

  private async push(): Promise<void> {
    const batch: PromSeries[] = [];
    for (const s of this.series.values()) {
      if (!s.dirty) continue;
      const ts = Math.max(s.latestMs, s.sentMs + 1);
      s.sentMs = ts;
      s.dirty = false;
      batch.push(...this.toPromSeries(s, ts));
    }
    if (batch.length === 0) return;
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'Content-Encoding': 'snappy', 'Content-Type': 'application/x-protobuf', 'X-Prometheus-Remote-Write-Version': '0.1.0', 'User-Agent': 'perf-lab-engine', ...this.config.headers },
        body: encodeWriteRequest(batch),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.trim().slice(0, 300)}`);
      this.pushes++;
      this.samplesSent += batch.length;
    } catch (err) {
      this.log('error', `Prometheus remote write to ${this.config.url} failed (${batch.length} samples): ${(err as Error).message}`);
    }
  }

  /** Pushes what is left, then frees the series' histograms. */
  async close(): Promise<void> {
    if (this.closed) return this.pushing;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.schedulePush();
    for (const s of this.series.values()) s.sink.dispose?.();
  }
}
