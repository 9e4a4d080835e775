import { describe, expect, it } from 'vitest';
import { rampingArrivalTimes, rampingVuSteps } from './ramping-steps.ts';

describe('rampingVuSteps', () => {
  it('adds one VU per 1/n of a stage and removes them the same way', () => {
    const steps = rampingVuSteps(0, [
      { durationMs: 1000, target: 4 },
      { durationMs: 500, target: 4 },
      { durationMs: 1000, target: 2 },
    ]);
    expect(steps).toEqual([
      { atMs: 250, vus: 1 },
      { atMs: 500, vus: 2 },
      { atMs: 750, vus: 3 },
      { atMs: 1000, vus: 4 },
      { atMs: 2000, vus: 3 },
      { atMs: 2500, vus: 2 },
    ]);
  });

  it('jumps at once for a zero-length stage', () => {
    expect(rampingVuSteps(5, [{ durationMs: 0, target: 1 }])).toEqual([{ atMs: 0, vus: 1 }]);
  });
});

describe('rampingArrivalTimes', () => {
  const take = (gen: Iterable<number>, limit = 10_000): number[] => {
    const out: number[] = [];
    for (const t of gen) if (out.push(t) >= limit) break;
    return out;
  };

  it('starts as many iterations as the integral of the rate', () => {
    const times = take(rampingArrivalTimes(0, 1000, [{ durationMs: 1000, target: 40 }, { durationMs: 1000, target: 40 }]));
    expect(times).toHaveLength(60);
    // During the ramp the gaps shrink; during the plateau they are 25 ms.
    expect(times[1]! - times[0]!).toBeGreaterThan(times[19]! - times[18]!);
    expect(times[40]! - times[39]!).toBeCloseTo(25, 6);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
  });

  it('starts nothing while the rate is zero', () => {
    expect(take(rampingArrivalTimes(0, 1000, [{ durationMs: 1000, target: 0 }]))).toEqual([]);
  });

  it('honours timeUnit', () => {
    expect(take(rampingArrivalTimes(60, 60_000, [{ durationMs: 10_000, target: 60 }]))).toHaveLength(10);
  });
});
