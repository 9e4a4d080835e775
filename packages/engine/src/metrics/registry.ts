/** All metrics of one test run, by name; custom metrics join the built-in ones at init time. */
import { Metric, parseMetricSelector, Submetric } from './metric.ts';
import { assertValidMetricName, type MetricType, type ValueType } from './metric-types.ts';

export class MetricRegistry {
  private readonly byName = new Map<string, Metric>();

  define(name: string, type: MetricType, contains: ValueType = 'default'): Metric {
    const existing = this.byName.get(name);
    if (existing) {
      if (existing.type !== type || existing.contains !== contains) {
        throw new Error(`metric "${name}" already exists as a ${existing.type} (${existing.contains}), cannot redefine it as a ${type} (${contains})`);
      }
      return existing;
    }
    assertValidMetricName(name);
    const metric = new Metric(name, type, contains);
    this.byName.set(name, metric);
    return metric;
  }

  get(name: string): Metric | undefined {
    return this.byName.get(name);
  }

  all(): Metric[] {
    return [...this.byName.values()];
  }

  /** Frees the metrics' histograms once nothing reads them any more (the run's end). */
  dispose(): void {
    for (const metric of this.byName.values()) metric.dispose();
  }

  /** Finds or creates the sub-metric `metric{tag:value}`; the parent metric must exist. */
  submetric(selector: string): Submetric {
    const { name, filter } = parseMetricSelector(selector);
    const parent = this.byName.get(name);
    if (!parent) throw new Error(`unknown metric "${name}" in "${selector}"`);
    const label = `{ ${filter.map(([k, v]) => `${k}:${v}`).join(', ')} }`;
    const key = `${name}{${filter.map(([k, v]) => `${k}:${v}`).join(',')}}`;
    const found = parent.submetrics.find((s) => s.name === key);
    if (found) return found;
    const sub = new Submetric(key, label, filter, parent.type);
    parent.submetrics.push(sub);
    return sub;
  }
}
