/**
 * The data k6 passes to handleSummary(): `{ root_group, options, state, metrics }`, where
 * metrics[name] = { type, contains, values, thresholds? } and sub-metrics appear under their full
 * `name{tag:value}` key.
 */
import type { Metric } from '../metrics/metric.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import type { Sink } from '../metrics/metric-types.ts';
import type { SummaryMetric } from '../metrics/metric-types.ts';
import type { ThresholdSet } from '../thresholds/threshold-set.ts';
import type { SummaryGroup } from '../metrics/group-tree.ts';

export interface SummaryData {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
}

export interface SummaryInputs {
  registry: MetricRegistry;
  thresholds: ThresholdSet;
  rootGroup: SummaryGroup;
  durationMs: number;
  trendStats: readonly string[];
  timeUnit?: string;
  noColor: boolean;
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
}

export function buildSummaryData(i: SummaryInputs): SummaryData {
  const metrics: Record<string, SummaryMetric> = {};
  /** A metric or sub-metric (of `parent`) as k6 lists it; none when it has neither samples nor thresholds. */
  const entry = (name: string, sink: Sink, parent: Metric): SummaryMetric | undefined => {
    const thresholds = i.thresholds.resultsFor(name);
    if (sink.isEmpty && !thresholds) return undefined;
    return { type: parent.type, contains: parent.contains, values: sink.values(i.durationMs, i.trendStats), ...(thresholds ? { thresholds } : {}) };
  };
  for (const m of i.registry.all()) {
    const main = entry(m.name, m.sink, m);
    if (!main) continue;
    metrics[m.name] = main;
    for (const sub of m.submetrics) {
      const e = entry(sub.name, sub.sink, m);
      if (e) metrics[sub.name] = e;
    }
  }
  return {
    root_group: i.rootGroup,
    options: { summaryTrendStats: [...i.trendStats], summaryTimeUnit: i.timeUnit ?? '', noColor: i.noColor },
    state: { isStdOutTTY: i.isStdOutTTY, isStdErrTTY: i.isStdErrTTY, testRunDurationMs: i.durationMs },
    metrics,
  };
}
