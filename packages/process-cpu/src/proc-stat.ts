/** The fields of one `/proc/<pid>/stat` line that CPU accounting needs; times in clock ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  /** User and system time of the process's own threads. */
  readonly utime: number;
  readonly stime: number;
  /** User and system time of children it has waited for (reaped). */
  readonly cutime: number;
  readonly cstime: number;
  /** When it started, in ticks since boot: tells a restarted process from the one measured. */
  readonly starttime: number;
}

/**
 * Parses a stat line (proc(5)). The command name sits in parentheses and may itself contain
 * spaces and parentheses, so the fields are counted from the last `)`.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  // After ")": state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime cutime cstime
  const rest = line.slice(close + 2).trim().split(/\s+/);
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc stat field ${n} is not a number in: ${line.slice(0, 80)}`);
    return value;
  };
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    starttime: field(22),
  };
}

/** A process's own CPU plus what its reaped children used, in ticks. */
export const ownAndReapedTicks = (s: ProcStat): number => s.utime + s.stime + s.cutime + s.cstime;
