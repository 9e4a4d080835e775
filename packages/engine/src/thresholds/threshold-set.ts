/**
 * The thresholds of a test, bound to their (sub-)metric sinks. Evaluated periodically for
 * `abortOnFail` and once at the end for the verdict (exit code 99).
 */
import type { MetricRegistry } from '../metrics/registry.ts';
import type { Sink } from '../metrics/metric-types.ts';
import type { MetricType } from '../metrics/metric-types.ts';
import { parseMetricSelector } from '../metrics/metric.ts';
import type { ThresholdsInput } from '../config/k6-options.ts';
import { assertMethodFits, compareThreshold, parseThresholdInput, type ThresholdDefinition } from './parse-threshold.ts';

export interface BoundThreshold extends ThresholdDefinition {
  /** The name the threshold was declared under: a metric or a sub-metric selector. */
  readonly metric: string;
  readonly type: MetricType;
  readonly sink: Sink;
  ok: boolean;
  /** Last value the aggregation evaluated to, for the text summary. */
  actual: number;
}

export interface ThresholdVerdict {
  readonly ok: boolean;
  /** The first failing abortOnFail threshold, when one asks to stop the test. */
  readonly abortedBy?: BoundThreshold;
}

export class ThresholdSet {
  readonly all: BoundThreshold[] = [];

  constructor(input: ThresholdsInput | undefined, registry: MetricRegistry) {
    for (const [selector, list] of Object.entries(input ?? {})) {
      if (!Array.isArray(list)) throw new Error(`invalid thresholds for "${selector}": expected an array of thresholds`);
      const { name, filter } = parseMetricSelector(selector);
      const metric = registry.get(name);
      if (!metric) {
        throw new Error(`invalid threshold on "${selector}": no metric named "${name}" (built-in or created in the init context)`);
      }
      const sink = filter.length > 0 ? registry.submetric(selector).sink : metric.sink;
      const key = filter.length > 0 ? registry.submetric(selector).name : name;
      for (const item of list) {
        const def = parseThresholdInput(item);
        assertMethodFits(def, selector, metric.type);
        this.all.push({ ...def, metric: key, type: metric.type, sink, ok: true, actual: 0 });
      }
    }
  }

  get size(): number {
    return this.all.length;
  }

  get hasAbortOnFail(): boolean {
    return this.all.some((t) => t.abortOnFail);
  }

  /** Evaluates every threshold (final=true) or only abortOnFail ones past their delay. */
  evaluate(elapsedMs: number, durationMs: number, final: boolean): ThresholdVerdict {
    let ok = true;
    let abortedBy: BoundThreshold | undefined;
    for (const t of this.all) {
      if (!final && (!t.abortOnFail || elapsedMs < t.delayAbortEvalMs)) continue;
      // As k6: a metric with no samples is not judged during the run, and at the end a Rate
      // without samples has no rate at all (k6 logs a threshold error and does not fail the test);
      // an empty Trend's aggregates are 0 and are judged.
      if (t.sink.isEmpty && (!final || t.type === 'rate')) {
        t.ok = true;
        continue;
      }
      t.actual = t.sink.aggregate(t.method, durationMs);
      t.ok = compareThreshold(t.actual, t.operator, t.value);
      if (!t.ok) {
        ok = false;
        if (t.abortOnFail && !abortedBy) abortedBy = t;
      }
    }
    return abortedBy ? { ok, abortedBy } : { ok };
  }

  /** `{ "p(95)<200": { ok: true } }` per metric key, as in k6's summary data. */
  resultsFor(metricKey: string): Record<string, { ok: boolean }> | undefined {
    const mine = this.all.filter((t) => t.metric === metricKey);
    if (mine.length === 0) return undefined;
    return Object.fromEntries(mine.map((t) => [t.source, { ok: t.ok }]));
  }
}
