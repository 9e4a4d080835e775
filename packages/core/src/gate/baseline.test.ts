import { describe, expect, it } from 'vitest';
import { median, withRun } from './baseline.ts';

describe('baseline', () => {
  it('median: the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 1, 4, 2])).toBe(3);
  });

  it('withRun keeps the newest runs and recomputes both medians', () => {
    const run = (rps: number, p95Ms: number) => ({ fromRun: `r${rps}`, rps, p95Ms, createdAt: '' });
    let b = withRun(undefined, 'order', 'peak', run(10, 100), 2);
    expect(b).toMatchObject({ version: 2, scenario: 'order', profile: 'peak', rps: 10, p95Ms: 100 });
    b = withRun(b, 'order', 'peak', run(20, 300), 2);
    expect(b).toMatchObject({ rps: 15, p95Ms: 200 });
    b = withRun(b, 'order', 'peak', run(40, 500), 2);
    expect(b.runs.map((r) => r.fromRun)).toEqual(['r20', 'r40']);
    expect(b).toMatchObject({ rps: 30, p95Ms: 400 });
  });
});
