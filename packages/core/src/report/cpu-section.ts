import { CPU_COLUMNS, cpuRows, type CpuReport } from '@perf-lab/process-cpu';
import { num, table } from './markdown.ts';

/** "Where the CPU went": each process's CPU over the load and per successful operation. */
export function cpuSection(cpu: CpuReport | undefined): string[] {
  const out = ['## Where the CPU went', ''];
  if (!cpu) return [...out, 'Not recorded: this run predates per-process CPU accounting.', ''];
  out.push(`CPU time each process used over the load (${num(cpu.window.seconds, 1)} s), read from the OS (\`/proc/<pid>/stat\`: ` +
    `user + system, with its children), divided by the ${num(cpu.successfulOps)} successful operations. ` +
    '"cores busy" is CPU seconds per second of the window. A process perf-lab cannot see is not measured, never counted as 0.', '');
  out.push(table([...CPU_COLUMNS], cpuRows(cpu)), '');
  return out;
}
