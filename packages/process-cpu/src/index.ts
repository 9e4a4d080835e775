/** @perf-lab/process-cpu: CPU time per process from the OS, over a window, per successful operation. */
export { parseProcStat, ownAndReapedTicks } from './proc-stat.ts';
export type { ProcStat } from './proc-stat.ts';
export { readProcessTable, treeTicks, clockTicksPerSecond } from './process-table.ts';
export { startCpuWindow } from './cpu-window.ts';
export type { CpuTarget, ProcessCpu, CpuWindow, RunningCpuWindow } from './cpu-window.ts';
export { cpuPerOperation, cpuRows, cpuText, cpuLine, CPU_COLUMNS } from './cpu-per-operation.ts';
export type { CpuReport } from './cpu-per-operation.ts';
export { listeningInodes, pidListeningOn, isLocalHost } from './listening-pid.ts';
