import { describe, expect, it } from 'vitest';
import { exactPercentile, TrendSink } from './trend-sink.ts';

describe('TrendSink', () => {
  it("uses k6's interpolated percentiles while the sample is small", () => {
    const t = new TrendSink();
    for (const v of [1, 2, 10, 50.5]) t.add(v);
    expect(t.aggregate('med')).toBe(6);
    expect(t.aggregate('p(95)')).toBeCloseTo(10 + 0.85 * 40.5, 9);
    expect(t.values(0, ['avg', 'min', 'max', 'count'])).toEqual({ avg: 15.875, min: 1, max: 50.5, count: 4 });
  });

  it('switches to the HDR histogram for large samples, within its precision', () => {
    const t = new TrendSink();
    const values = Array.from({ length: 20_000 }, (_, i) => (i % 1000) * 0.37 + 1);
    for (const v of values) t.add(v);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = exactPercentile(values, p);
      expect(Math.abs(t.percentile(p) - exact) / exact).toBeLessThan(0.002);
    }
    expect(t.aggregate('max')).toBe(Math.max(...values));
  });

  it('merges snapshots (as worker processes send them)', () => {
    const a = new TrendSink();
    const b = new TrendSink();
    for (let i = 1; i <= 3000; i++) (i % 2 ? a : b).add(i);
    const merged = new TrendSink();
    merged.merge(a.snapshot());
    merged.merge(b.snapshot());
    expect(merged.count).toBe(3000);
    expect(merged.aggregate('avg')).toBe(1500.5);
    expect(Math.abs(merged.percentile(90) - 2700) / 2700).toBeLessThan(0.002);
  });

  it('counts zero samples in the percentiles and in merged snapshots', () => {
    const a = new TrendSink();
    for (let i = 0; i < 1500; i++) a.add(0);
    for (let i = 0; i < 500; i++) a.add(10);
    expect(a.percentile(50)).toBe(0);
    expect(a.percentile(80)).toBe(10);
    const b = new TrendSink();
    for (let i = 0; i < 2000; i++) b.add(10);
    b.merge(a.snapshot());
    a.add(0); // zeros after a read are counted too
    expect(b.percentile(30)).toBe(0);
    expect(b.percentile(40)).toBe(10);
    expect(a.percentile(75.01)).toBe(0);
  });

  it('frees its histogram on dispose: later samples are ignored, a read is an error', () => {
    const t = new TrendSink();
    for (let i = 0; i < 2000; i++) t.add(i);
    t.dispose();
    t.add(5);
    expect(t.count).toBe(2000);
    expect(() => t.percentile(50)).toThrow(/after its run was disposed/);
  });

  it('reports zeros when empty', () => {
    expect(new TrendSink().values(0, ['avg', 'p(95)'])).toEqual({ avg: 0, 'p(95)': 0 });
  });
});
