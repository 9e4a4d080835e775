import { describe, expect, it } from 'vitest';
import type { ProcStat } from './proc-stat.ts';
import { readProcessTable, treeTicks } from './process-table.ts';

const proc = (pid: number, ppid: number, utime: number, cutime = 0): ProcStat =>
  ({ pid, ppid, comm: `p${pid}`, state: 'S', utime, stime: 1, cutime, cstime: 0, starttime: 1 });

describe('treeTicks', () => {
  // 10 ─┬─ 11 ── 13
  //     └─ 12 (excluded: measured as a component of its own) ── 14
  const table = new Map([proc(1, 0, 1000), proc(10, 1, 100, 50), proc(11, 10, 20), proc(12, 10, 300), proc(13, 11, 4), proc(14, 12, 7)].map((p) => [p.pid, p]));

  it('sums the root, what it reaped and its live descendants', () => {
    expect(treeTicks(table, 11)).toBe(21 + 5);
    expect(treeTicks(table, 10)).toBe(151 + 21 + 5 + 301 + 8);
  });

  it('leaves out the subtree of an excluded process', () => {
    expect(treeTicks(table, 10, new Set([12]))).toBe(151 + 21 + 5);
  });

  it('is 0 for a pid that is not in the table', () => {
    expect(treeTicks(table, 999)).toBe(0);
  });
});

describe('readProcessTable', () => {
  it('finds this process with its parent', () => {
    const self = readProcessTable().get(process.pid);
    expect(self?.ppid).toBe(process.ppid);
  });
});
