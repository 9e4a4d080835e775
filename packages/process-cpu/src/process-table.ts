import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { ownAndReapedTicks, parseProcStat, type ProcStat } from './proc-stat.ts';

/** Every process visible in /proc, by pid; empty where there is no procfs (macOS). */
export function readProcessTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      table.set(Number(entry), parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8')));
    } catch {
      // exited between the listing and the read
    }
  }
  return table;
}

/**
 * CPU ticks of `root` and its live descendants (each with what it reaped), leaving out the
 * subtrees of `exclude` — processes measured as components of their own (a server the load
 * generator spawned). A child reaped during the window moves from its own line into its
 * parent's cutime/cstime, so the difference of two readings still counts it once.
 */
export function treeTicks(table: ReadonlyMap<number, ProcStat>, root: number, exclude: ReadonlySet<number> = new Set()): number {
  const children = new Map<number, number[]>();
  for (const stat of table.values()) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  let ticks = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const stat = table.get(pid);
    if (!stat || (pid !== root && exclude.has(pid))) continue;
    ticks += ownAndReapedTicks(stat);
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of /proc times: 100 on every mainstream Linux, asked of getconf once. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}
