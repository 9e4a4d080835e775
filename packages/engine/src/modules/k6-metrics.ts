/** k6/metrics: custom Counter, Gauge, Rate and Trend, declared in the init context. */
import type { ModuleVu } from './module-vu.ts';
import type { Metric } from '../metrics/metric.ts';
import type { MetricType } from '../metrics/metric-types.ts';

/** What this module uses of its VU (module-vu.ts). */
export type MetricsVu = Pick<ModuleVu, 'interrupted' | 'phase' | 'run' | 'tags'>;

export function createMetricsModule(vu: MetricsVu): Record<string, unknown> {
  const make = (type: MetricType) =>
    class CustomMetric {
      readonly name: string;
      private readonly metric: Metric;
      constructor(name: string, isTime = false) {
        if (vu.phase !== 'init') throw new Error('metrics must be declared in the init context');
        this.metric = vu.run.registry.define(name, type, isTime && type === 'trend' ? 'time' : 'default');
        this.name = name;
      }
      add(value: number | boolean, tags?: Record<string, unknown>): void {
        if (vu.interrupted) return;
        if (vu.phase === 'init') throw new Error('Adding to metrics in the init context is not supported');
        const n = typeof value === 'boolean' ? Number(value) : Number(value);
        if (Number.isNaN(n)) {
          vu.run.warnOnce(`nan-${this.name}`, `${this.name}.add() got a value that is not a number: ${String(value)}`);
          return;
        }
        let t = vu.tags();
        if (tags) {
          t = { ...t };
          for (const [k, v] of Object.entries(tags)) t[k] = String(v);
        }
        this.metric.add(n, t);
      }
    };
  return { Counter: make('counter'), Gauge: make('gauge'), Rate: make('rate'), Trend: make('trend') };
}
