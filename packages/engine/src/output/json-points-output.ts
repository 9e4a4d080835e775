/**
 * `--out json=FILE`, as k6 writes it: one `{"type":"Point",…}` line per sample — metric,
 * data.time, data.value, data.tags — preceded by a metric's `{"type":"Metric",…}` line the
 * first time it appears. Lines are built by concatenation from cached pieces (the metric's
 * prefix, the tag set's JSON, the millisecond's timestamp), since this runs for every sample.
 */
import type { Metric } from '../metrics/metric.ts';
import type { Tags } from '../metrics/metric-types.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { ThresholdSet } from '../thresholds/threshold-set.ts';
import type { LineSink } from './line-sink.ts';
import { MetricDeclarations } from './metric-declaration.ts';
import { observeEveryMetric, type SampleOutput } from './sample-output.ts';

export class JsonPointsOutput implements SampleOutput {
  private readonly declarations: MetricDeclarations;
  private readonly tagsJson = new WeakMap<Tags, string>();
  private readonly suffixes = new Map<string, string>();
  private lastMs = -1;
  private lastTime = '';

  constructor(
    private readonly sink: LineSink,
    readonly file: string | undefined,
    thresholds?: ThresholdSet,
  ) {
    this.declarations = new MetricDeclarations(thresholds);
  }

  get description(): string {
    return `json (${this.file ?? 'worker'})`;
  }

  attach(registry: MetricRegistry): void {
    observeEveryMetric(registry, (metric, value, tags) => this.observe(metric, value, tags));
  }

  private observe(metric: Metric, value: number, tags: Tags): void {
    const now = Date.now();
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastTime = new Date(now).toISOString();
    }
    let tj = this.tagsJson.get(tags);
    if (tj === undefined) {
      tj = JSON.stringify(tags);
      this.tagsJson.set(tags, tj);
    }
    let suffix = this.suffixes.get(metric.name);
    if (suffix === undefined) {
      suffix = `},"metric":${JSON.stringify(metric.name)}}\n`;
      this.suffixes.set(metric.name, suffix);
    }
    const v = Number.isFinite(value) ? String(value) : 'null';
    this.sink.append(`${this.declarations.before(metric)}{"type":"Point","data":{"time":"${this.lastTime}","value":${v},"tags":${tj}${suffix}`);
  }

  flush(): void {
    this.sink.flush();
  }

  writeForwarded(text: string): void {
    this.sink.append(this.declarations.filterForwarded(text));
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}
