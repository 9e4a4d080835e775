import { describe, expect, it } from 'vitest';
import { latencyThresholds } from './chart-thresholds.ts';
import { latencyHistogram } from './latency-histogram.ts';
import { outcomeSection } from './outcome-section.ts';
import { outcomeSeries } from './run-charts.ts';

describe('outcomeSection', () => {
  it('gives every outcome its share, so a run of mostly sold-out 409s says so, and lists system errors by cause', () => {
    const md = outcomeSection({ success: { OK: 17 }, business: { COUPON_SOLD_OUT: 83 }, system: {} }).join('\n');
    expect(md).toContain('| business failure | COUPON_SOLD_OUT | 83 | 83.0 % |');
    expect(md).toContain('| accepted | OK | 17 | 17.0 % |');
    expect(md).not.toContain('System errors by cause');
    const failing = outcomeSection({ success: {}, business: {}, system: { ERROR_1212: 3, HTTP_500: 1 } }).join('\n');
    expect(failing).toContain('### System errors by cause');
    expect(failing).toContain('| 1212 connection refused | `ERROR_1212` | 3 | 75.0 % |');
    expect(outcomeSection({ success: {}, business: {}, system: {} })).toEqual([]);
  });
});

describe('outcomeSeries', () => {
  it('is one line per outcome, largest first, coloured by class', () => {
    const ts = [1, 2].map((t) => ({ t, requests: 10, p95Ms: 1, vus: 1, systemFailures: 0,
      outcomes: { success: { OK: t }, business: { COUPON_SOLD_OUT: 8 }, system: { ERROR_1212: 1 } } }));
    const series = outcomeSeries(ts);
    expect(series.map((s) => [s.label, s.color])).toEqual([
      ['business: COUPON_SOLD_OUT', '#f59e0b'], ['accepted', '#059669'], ['system: 1212 connection refused', '#dc2626'],
    ]);
    expect(series[1]!.points).toEqual([[1, 1], [2, 2]]);
    expect(outcomeSeries([{ t: 1, requests: 0, p95Ms: null, vus: 0, systemFailures: 0 }])).toEqual([]);
  });
});

describe('latencyThresholds', () => {
  it('reads the success-latency percentile targets and whether they failed', () => {
    expect(latencyThresholds([
      { metric: 'perf_lab_success_duration', expression: 'p(95)<500', ok: true },
      { metric: 'perf_lab_success_duration', expression: 'p(99)<1000', ok: false },
      { metric: 'checks', expression: 'rate>0.99', ok: true },
    ])).toEqual([{ label: 'p95 < 500 ms', percentile: 95, ms: 500 }, { label: 'p99 < 1000 ms (FAILED)', percentile: 99, ms: 1000 }]);
  });
});

describe('latencyHistogram', () => {
  it('counts into buckets, trimmed to the first and last non-empty ones', () => {
    expect(latencyHistogram([3, 4, 9, 10, 11, 30_000])).toEqual([
      { label: '≤ 5 ms', count: 2 }, { label: '≤ 10 ms', count: 2 }, { label: '≤ 20 ms', count: 1 },
      { label: '≤ 50 ms', count: 0 }, { label: '≤ 100 ms', count: 0 }, { label: '≤ 200 ms', count: 0 }, { label: '≤ 500 ms', count: 0 },
      { label: '≤ 1000 ms', count: 0 }, { label: '≤ 2000 ms', count: 0 }, { label: '≤ 5000 ms', count: 0 }, { label: '≤ 10000 ms', count: 0 },
      { label: '> 10000 ms', count: 1 },
    ]);
    expect(latencyHistogram([])).toEqual([]);
  });
});
