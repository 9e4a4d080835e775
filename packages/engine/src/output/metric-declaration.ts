/**
 * The `{"type":"Metric",…}` line k6's JSON output writes before a metric's first Point: name,
 * type, what its values are, its thresholds (their source text) and its sub-metrics
 * (`{name, suffix, tags}`, or null when it has none). Each metric is declared once per file,
 * also when worker processes each declare it (workers mode).
 */
import type { Metric } from '../metrics/metric.ts';
import type { ThresholdSet } from '../thresholds/threshold-set.ts';

export function metricDeclarationLine(metric: Metric, thresholds: ThresholdSet | undefined): string {
  const sources = thresholds?.all.filter((t) => t.metric === metric.name).map((t) => t.source) ?? [];
  const submetrics = metric.submetrics.length
    ? metric.submetrics.map((s) => ({ name: s.name, suffix: s.name.slice(s.name.indexOf('{') + 1, -1), tags: Object.fromEntries(s.filter) }))
    : null;
  const data = { name: metric.name, type: metric.type, contains: metric.contains, thresholds: sources, submetrics };
  return JSON.stringify({ type: 'Metric', data, metric: metric.name });
}

export class MetricDeclarations {
  private readonly names = new Set<string>();
  private readonly lines = new Set<string>();

  constructor(private readonly thresholds: ThresholdSet | undefined) {}

  /** The Metric line (with its newline) to write before this metric's first Point; '' afterwards. */
  before(metric: Metric): string {
    if (this.names.has(metric.name)) return '';
    this.names.add(metric.name);
    const line = metricDeclarationLine(metric, this.thresholds);
    if (this.lines.has(line)) return '';
    this.lines.add(line);
    return `${line}\n`;
  }

  /** A worker's text without the Metric lines this file already has. */
  filterForwarded(text: string): string {
    if (!text.includes('{"type":"Metric"')) return text;
    return text
      .split('\n')
      .filter((line) => {
        if (!line.startsWith('{"type":"Metric"')) return true;
        if (this.lines.has(line)) return false;
        this.lines.add(line);
        return true;
      })
      .join('\n');
  }
}
