import { describe, expect, it } from 'vitest';
import { ownAndReapedTicks, parseProcStat } from './proc-stat.ts';

const line = (comm: string, times: [number, number, number, number], start = 268104): string =>
  `4242 (${comm}) S 17 4242 22810 0 -1 4194304 97 0 0 0 ${times.join(' ')} 20 0 1 0 ${start} 3133440 389 18446744073709551615 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0`;

describe('parseProcStat', () => {
  it('reads pid, ppid, the four CPU times and the start time', () => {
    const stat = parseProcStat(line('mariadbd', [1234, 567, 89, 10]));
    expect(stat).toEqual({ pid: 4242, comm: 'mariadbd', state: 'S', ppid: 17, utime: 1234, stime: 567, cutime: 89, cstime: 10, starttime: 268104 });
    expect(ownAndReapedTicks(stat)).toBe(1234 + 567 + 89 + 10);
  });

  it('counts fields from the last parenthesis: a command name may hold spaces and parentheses', () => {
    const stat = parseProcStat(line('a) b (c', [5, 6, 7, 8], 99));
    expect(stat.comm).toBe('a) b (c');
    expect([stat.ppid, stat.utime, stat.stime, stat.cutime, stat.cstime, stat.starttime]).toEqual([17, 5, 6, 7, 8, 99]);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => parseProcStat('hello world')).toThrow(/not a \/proc\/<pid>\/stat line/);
    expect(() => parseProcStat('1 (x) S 0 1')).toThrow(/field 14 is not a number/);
  });
});
