/**
 * The data k6 passes to handleSummary(): `{ root_group, options, state, metrics }`, where
 * metrics[name] = { type, contains, values, thresholds? } and sub-metrics appear under their full
 * `name{tag:value}` key.
 */
import type { MetricRegistry } from '../metrics/registry.ts';
import type { SummaryMetric } from '../metrics/metric-types.ts';
import type { ThresholdSet } from '../thresholds/threshold-set.ts';
import type { SummaryGroup } from '../runtime/group-tree.ts';

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
  for (const m of i.registry.all()) {
    const thresholds = i.thresholds.resultsFor(m.name);
    if (m.sink.isEmpty && !thresholds) continue;
    metrics[m.name] = {
      type: m.type,
      contains: m.contains,
      values: m.sink.values(i.durationMs, i.trendStats),
      ...(thresholds ? { thresholds } : {}),
    };
    for (const sub of m.submetrics) {
      const subThresholds = i.thresholds.resultsFor(sub.name);
      if (sub.sink.isEmpty && !subThresholds) continue;
      metrics[sub.name] = {
        type: m.type,
        contains: m.contains,
        values: sub.sink.values(i.durationMs, i.trendStats),
        ...(subThresholds ? { thresholds: subThresholds } : {}),
      };
    }
  }
  return {
    root_group: i.rootGroup,
    options: { summaryTrendStats: [...i.trendStats], summaryTimeUnit: i.timeUnit ?? '', noColor: i.noColor },
    state: { isStdOutTTY: i.isStdOutTTY, isStdErrTTY: i.isStdErrTTY, testRunDurationMs: i.durationMs },
    metrics,
  };
}
