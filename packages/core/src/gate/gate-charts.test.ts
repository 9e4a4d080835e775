import { describe, expect, it } from 'vitest';
import { gateCharts } from './gate-charts.ts';

describe('gateCharts', () => {
  const ts = [1, 2, 3].map((t) => ({ t, requests: 100 * t, p95Ms: 9, vus: 5, systemFailures: 0, successMs: { p50: 2, p95: 4 * t, p99: 8 } }));
  const blocks = (md: string) => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('draws this run per second against the baseline and the floor, then the p95 against the baseline and the ceiling', () => {
    const md = gateCharts(ts, { rps: 250, minRps: 175, p95Ms: 6, maxP95Ms: 12 });
    const [throughput, latency] = blocks(md);
    expect(throughput).toContain('line [100, 200, 300]\n  line [250, 250, 250]\n  line [175, 175, 175]');
    // The p95 of successful responses, where the run recorded it (the baseline's p95 is of those too).
    expect(latency).toContain('line [4, 8, 12]\n  line [6, 6, 6]\n  line [12, 12, 12]');
    expect(md).toContain('grey: baseline (mean req/s) (250) · red: floor (175)');
    expect(md).toContain('grey: baseline p95 (6) · red: ceiling (12)');
  });

  it('is empty for a run without a time series', () => {
    expect(gateCharts([], { rps: 1, minRps: 1, p95Ms: 1, maxP95Ms: 1 })).toBe('');
  });
});
