import { clockTicksPerSecond, readProcessTable, treeTicks } from './process-table.ts';
import type { ProcStat } from './proc-stat.ts';

/** A process to measure, or why it cannot be (an external service perf-lab cannot see). */
export type CpuTarget =
  | { readonly name: string; readonly pid: number; readonly exclude?: readonly number[] }
  | { readonly name: string; readonly notMeasured: string };

/** One component's CPU over the window, or the reason there is no figure — never a made-up 0. */
export type ProcessCpu =
  | { readonly pid: number; readonly cpuMs: number }
  | { readonly notMeasured: string };

export interface CpuWindow {
  readonly startedAt: string;
  readonly seconds: number;
  readonly perProcess: Readonly<Record<string, ProcessCpu>>;
}

export interface RunningCpuWindow {
  /** Reads every target again and returns the CPU each used since the window started. */
  stop(): CpuWindow;
}

interface Start {
  readonly target: CpuTarget;
  readonly stat?: ProcStat;
  readonly ticks: number;
}

/**
 * Starts a measured window: reads utime+stime (+ reaped children, + live descendants) of
 * every target now, and again at stop(). A process that exited or was restarted in between
 * (another start time under its pid, or none) is reported as not measured.
 */
export function startCpuWindow(targets: readonly CpuTarget[]): RunningCpuWindow {
  const startedAt = new Date();
  const t0 = performance.now();
  const before = readProcessTable();
  const starts: Start[] = targets.map((target) => {
    if (!('pid' in target)) return { target, ticks: 0 };
    const stat = before.get(target.pid);
    return { target, ...(stat ? { stat } : {}), ticks: stat ? treeTicks(before, target.pid, new Set(target.exclude)) : 0 };
  });
  return {
    stop(): CpuWindow {
      const after = readProcessTable();
      const seconds = (performance.now() - t0) / 1000;
      const msPerTick = 1000 / clockTicksPerSecond();
      const perProcess: Record<string, ProcessCpu> = {};
      for (const { target, stat, ticks } of starts) {
        if (!('pid' in target)) {
          perProcess[target.name] = { notMeasured: target.notMeasured };
          continue;
        }
        const now = after.get(target.pid);
        perProcess[target.name] = !stat ? { notMeasured: `no process ${target.pid} readable in /proc at the start of the window` }
          : !now || now.starttime !== stat.starttime ? { notMeasured: `process ${target.pid} exited or was restarted during the window` }
          : { pid: target.pid, cpuMs: (treeTicks(after, target.pid, new Set(target.exclude)) - ticks) * msPerTick };
      }
      return { startedAt: startedAt.toISOString(), seconds, perProcess };
    },
  };
}
