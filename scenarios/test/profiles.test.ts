import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from '../src/lib/duration.ts';
import { PROFILES, getProfile } from '../src/lib/profiles.ts';
import { applyProfileOverrides, peakVUs, totalSeconds } from '../src/lib/profile-overrides.ts';

describe('profiles are the seed design, verbatim', () => {
  it('coupon sequential: per-vu-iterations 200 × 250 = 50,000 requests, maxDuration 10m', () => {
    expect(PROFILES.coupon.sequential.load).toEqual({ executor: 'per-vu-iterations', vus: 200, iterations: 250, maxDuration: '10m' });
    expect(PROFILES.coupon.sequential.thinkSeconds).toEqual([0, 0]);
  });
  it('coupon load: 0 → 1m→100, 3m→200, 2m→200, 30s→0, think 1–3 s', () => {
    expect(PROFILES.coupon.load.load).toEqual({ executor: 'ramping-vus', startVUs: 0, stages: [
      { duration: '1m', target: 100 }, { duration: '3m', target: 200 }, { duration: '2m', target: 200 }, { duration: '30s', target: 0 },
    ] });
    expect(PROFILES.coupon.load.thinkSeconds).toEqual([1, 3]);
  });
  it('coupon peak: 0 → 30s→300, 1m→500, 2m→500, 30s→0, think 0.1 s', () => {
    expect(PROFILES.coupon.peak.load).toEqual({ executor: 'ramping-vus', startVUs: 0, stages: [
      { duration: '30s', target: 300 }, { duration: '1m', target: 500 }, { duration: '2m', target: 500 }, { duration: '30s', target: 0 },
    ] });
    expect(PROFILES.coupon.peak.thinkSeconds).toEqual([0.1, 0.1]);
  });
  it('order load: 0 → 30s→50, 1m→100, 30s→0, gracefulRampDown 10s, think 0–200 ms', () => {
    expect(PROFILES.order.load.load).toEqual({ executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '10s', stages: [
      { duration: '30s', target: 50 }, { duration: '1m', target: 100 }, { duration: '30s', target: 0 },
    ] });
    expect(PROFILES.order.load.thinkSeconds).toEqual([0, 0.2]);
  });
  it('order sequential is 1 VU and order peak spikes to 200 VUs (2× the seed’s 100)', () => {
    expect(PROFILES.order.sequential.load).toMatchObject({ executor: 'per-vu-iterations', vus: 1 });
    expect(peakVUs(PROFILES.order.peak.load)).toBe(2 * peakVUs(PROFILES.order.load.load));
  });
  it('names unknown scenarios and profiles', () => {
    expect(() => getProfile('coupons', 'load')).toThrow('unknown scenario "coupons" — choose one of coupon, order, storm');
    expect(() => getProfile('coupon', 'soak')).toThrow('unknown profile "soak" — choose one of sequential, load, peak');
  });
});

describe('applyProfileOverrides keeps the shape', () => {
  it('--scale 0.05 shortens every stage and VU count proportionally', () => {
    const peak = applyProfileOverrides(PROFILES.coupon.peak, { scale: 0.05 });
    expect(peak.load).toEqual({ executor: 'ramping-vus', startVUs: 0, stages: [
      { duration: '2s', target: 15 }, { duration: '3s', target: 25 }, { duration: '6s', target: 25 }, { duration: '2s', target: 0 },
    ] });
    const seq = applyProfileOverrides(PROFILES.coupon.sequential, { scale: 0.05 });
    expect(seq.load).toMatchObject({ vus: 10, iterations: 13 });
  });
  it('ratios between stages survive scaling', () => {
    for (const profile of Object.values(PROFILES.coupon)) {
      const scaled = applyProfileOverrides(profile, { scale: 0.1 });
      if (profile.load.executor !== 'ramping-vus' || scaled.load.executor !== 'ramping-vus') continue;
      const targets = profile.load.stages.map((s) => s.target);
      const scaledTargets = scaled.load.stages.map((s) => s.target);
      targets.forEach((t, i) => expect(scaledTargets[i]).toBe(t === 0 ? 0 : Math.max(1, Math.round(t * 0.1))));
      expect(totalSeconds(scaled.load)).toBeCloseTo(totalSeconds(profile.load) * 0.1, -1);
    }
  });
  it('--vus sets the peak and --duration the total length', () => {
    const p = applyProfileOverrides(PROFILES.order.load, { vus: 20, duration: '20s' });
    expect(peakVUs(p.load)).toBe(20);
    expect(p.load.executor === 'ramping-vus' && p.load.stages.map((s) => s.target)).toEqual([10, 20, 0]);
    expect(totalSeconds(p.load)).toBe(20);
    expect(parseDurationSeconds('1m30s')).toBe(90);
  });
  it('rejects nonsense', () => {
    expect(() => applyProfileOverrides(PROFILES.coupon.load, { scale: 0 })).toThrow(/invalid scale 0/);
    expect(() => applyProfileOverrides(PROFILES.coupon.load, { vus: 1.5 })).toThrow(/invalid vus 1.5/);
    expect(() => parseDurationSeconds('10 minutes')).toThrow(/invalid duration "10 minutes"/);
  });
});
