/**
 * `--out csv=FILE` in k6's format: a header, then one row per sample — metric_name, timestamp
 * (Unix seconds, or K6_CSV_TIME_FORMAT), metric_value (six decimals), one column per default
 * indexable system tag (sorted), `extra_tags` (every other tag as k=v joined by &) and
 * `metadata` (empty: the engine attaches no per-sample metadata such as trace ids).
 */
import type { Metric } from '../metrics/metric.ts';
import type { Tags } from '../metrics/metric-types.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { LineSink } from './line-sink.ts';
import { observeEveryMetric, type SampleOutput } from './sample-output.ts';

/** k6's default system tags that get a column of their own, in its (alphabetical) order. */
export const CSV_TAG_COLUMNS = ['check', 'error', 'error_code', 'expected_response', 'group', 'method', 'name', 'proto', 'scenario', 'service', 'status', 'subproto', 'tls_version', 'url'] as const;
export const CSV_HEADER = ['metric_name', 'timestamp', 'metric_value', ...CSV_TAG_COLUMNS, 'extra_tags', 'metadata'] as const;

export const CSV_TIME_FORMATS = ['unix', 'unix_milli', 'unix_micro', 'unix_nano', 'rfc3339', 'rfc3339_nano'] as const;
export type CsvTimeFormat = (typeof CSV_TIME_FORMATS)[number];

const COLUMN = new Set<string>(CSV_TAG_COLUMNS);

/** Quotes a field as Go's encoding/csv does (k6 writes with it). */
export function csvField(v: string): string {
  if (v === '') return v;
  if (/[",\r\n]/.test(v) || v[0] === ' ' || v[0] === '\t') return `"${v.replaceAll('"', '""')}"`;
  return v;
}

function formatTime(ms: number, format: CsvTimeFormat): string {
  switch (format) {
    case 'unix':
      return String(Math.floor(ms / 1000));
    case 'unix_milli':
      return String(ms);
    case 'unix_micro':
      return `${ms}000`;
    case 'unix_nano':
      return `${ms}000000`;
    case 'rfc3339':
      return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'rfc3339_nano':
      return new Date(ms).toISOString();
  }
}

export class CsvOutput implements SampleOutput {
  /** The tag columns and extra_tags/metadata of a tag set, ready to append: one string per Tags object. */
  private readonly tagCells = new WeakMap<Tags, string>();
  private lastMs = -1;
  private lastTime = '';

  constructor(
    private readonly sink: LineSink,
    readonly file: string | undefined,
    private readonly timeFormat: CsvTimeFormat = 'unix',
  ) {
    if (!sink.forwarding) sink.append(`${CSV_HEADER.join(',')}\n`);
  }

  get description(): string {
    return `csv (${this.file ?? 'worker'})`;
  }

  attach(registry: MetricRegistry): void {
    observeEveryMetric(registry, (metric, value, tags) => this.observe(metric, value, tags));
  }

  private cells(tags: Tags): string {
    let c = this.tagCells.get(tags);
    if (c === undefined) {
      // k6 writes them in Go's map order (random); sorted is as valid and reproducible.
      const extra = Object.keys(tags)
        .filter((k) => !COLUMN.has(k))
        .sort()
        .map((k) => `${k}=${tags[k]}`)
        .join('&');
      c = `${CSV_TAG_COLUMNS.map((k) => csvField(tags[k] ?? '')).join(',')},${csvField(extra)},`;
      this.tagCells.set(tags, c);
    }
    return c;
  }

  private observe(metric: Metric, value: number, tags: Tags): void {
    const now = Date.now();
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastTime = formatTime(now, this.timeFormat);
    }
    this.sink.append(`${csvField(metric.name)},${this.lastTime},${value.toFixed(6)},${this.cells(tags)}\n`);
  }

  flush(): void {
    this.sink.flush();
  }

  writeForwarded(text: string): void {
    this.sink.append(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}
