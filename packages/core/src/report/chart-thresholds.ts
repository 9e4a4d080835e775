import { METRIC_NAMES } from '@perf-lab/scenarios/metric-names';
import type { RunResults } from '../run/run-results.ts';

export interface LatencyThreshold {
  /** "p95 < 500 ms" */
  readonly label: string;
  readonly percentile: number;
  readonly ms: number;
}

/** The run's latency targets on successful responses (`p(95)<500`), to draw on the latency chart. */
export function latencyThresholds(thresholds: RunResults['thresholds']): LatencyThreshold[] {
  return thresholds.flatMap((t) => {
    if (t.metric !== METRIC_NAMES.successDuration) return [];
    const m = /^p\((\d+(?:\.\d+)?)\)\s*<=?\s*(\d+(?:\.\d+)?)$/.exec(t.expression.replace(/\s+/g, ''));
    return m ? [{ label: `p${m[1]} < ${m[2]} ms${t.ok ? '' : ' (FAILED)'}`, percentile: Number(m[1]), ms: Number(m[2]) }] : [];
  });
}
