import { mermaidLineChart } from '../report/mermaid-xychart.ts';
import type { TimeSeriesPoint } from '../run/run-record.ts';

export interface BaselineLines {
  readonly rps: number;
  readonly minRps: number;
  readonly p95Ms: number;
  readonly maxP95Ms: number;
}

/**
 * The gate's charts for a job summary: this run's throughput and p95 per second against the
 * baseline and the floor or ceiling the gate applied, so a reviewer sees how far off a run was.
 */
export function gateCharts(ts: readonly TimeSeriesPoint[], b: BaselineLines): string {
  if (ts.length === 0) return '';
  const p95 = ts.map((p): [number, number | null] => [p.t, p.successMs ? p.successMs.p95 : p.p95Ms]);
  return [
    mermaidLineChart({
      title: 'Throughput against the baseline', xLabel: 'seconds', yLabel: 'requests/s',
      series: [{ label: 'this run, requests/s', color: '#2563eb', points: ts.map((p) => [p.t, p.requests]) }],
      references: [{ label: 'baseline (mean req/s)', value: b.rps, color: '#6b7280' }, { label: 'floor', value: b.minRps, color: '#dc2626' }],
    }),
    mermaidLineChart({
      title: 'p95 latency against the baseline', xLabel: 'seconds', yLabel: 'ms',
      series: [{ label: 'this run, p95 per second', color: '#7c3aed', points: p95 }],
      references: [{ label: 'baseline p95', value: b.p95Ms, color: '#6b7280' }, { label: 'ceiling', value: b.maxP95Ms, color: '#dc2626' }],
    }),
  ].join('\n');
}
