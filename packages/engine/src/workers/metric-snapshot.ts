/**
 * Metric state of a worker as plain data, and merging it into the parent's registry. Counters
 * and rates add, trends merge their HDR histograms; gauges (vus, vus_max) are rebuilt by the
 * parent from the summed per-second points, since parallel gauges describe parts of one whole.
 */
import type { MetricRegistry } from '../metrics/registry.ts';
import type { MetricType, SinkSnapshot, ValueType } from '../metrics/metric-types.ts';

export interface MetricSnapshot {
  type: MetricType;
  contains: ValueType;
  sink: SinkSnapshot;
  submetrics: Record<string, SinkSnapshot>;
}

export type RegistrySnapshot = Record<string, MetricSnapshot>;

export function snapshotRegistry(registry: MetricRegistry): RegistrySnapshot {
  const out: RegistrySnapshot = {};
  for (const m of registry.all()) {
    if (m.sink.isEmpty && m.submetrics.every((s) => s.sink.isEmpty)) continue;
    out[m.name] = {
      type: m.type,
      contains: m.contains,
      sink: m.sink.snapshot(),
      submetrics: Object.fromEntries(m.submetrics.filter((s) => !s.sink.isEmpty).map((s) => [s.name, s.sink.snapshot()])),
    };
  }
  return out;
}

export function mergeRegistry(into: MetricRegistry, snap: RegistrySnapshot): void {
  for (const [name, m] of Object.entries(snap)) {
    const metric = into.define(name, m.type, m.contains);
    metric.sink.merge(m.sink);
    for (const [subName, s] of Object.entries(m.submetrics)) into.submetric(subName).sink.merge(s);
  }
}
