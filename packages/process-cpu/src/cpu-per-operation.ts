import type { CpuWindow } from './cpu-window.ts';

/** A window's CPU divided by the operations that succeeded in it: what run.json records. */
export interface CpuReport {
  readonly window: { readonly startedAt: string; readonly seconds: number };
  readonly perProcess: CpuWindow['perProcess'];
  readonly successfulOps: number;
  /** CPU-ms per successful operation by component; null where not measured or nothing succeeded. */
  readonly perSuccessfulOp: Readonly<Record<string, number | null>>;
  /** Sum over the measured components; `complete` is false when any one is not measured. */
  readonly total: { readonly cpuMs: number; readonly perSuccessfulOp: number | null; readonly complete: boolean };
}

export function cpuPerOperation(window: CpuWindow, successfulOps: number): CpuReport {
  const perOp = (ms: number): number | null => (successfulOps > 0 ? ms / successfulOps : null);
  const perSuccessfulOp: Record<string, number | null> = {};
  let cpuMs = 0;
  let complete = true;
  for (const [name, cpu] of Object.entries(window.perProcess)) {
    if ('cpuMs' in cpu) {
      cpuMs += cpu.cpuMs;
      perSuccessfulOp[name] = perOp(cpu.cpuMs);
    } else {
      complete = false;
      perSuccessfulOp[name] = null;
    }
  }
  return {
    window: { startedAt: window.startedAt, seconds: window.seconds },
    perProcess: window.perProcess, successfulOps, perSuccessfulOp,
    total: { cpuMs, perSuccessfulOp: perOp(cpuMs), complete },
  };
}

/** Rows for a "where the CPU went" table: component, pid, CPU s, share of a core, CPU-ms per op. */
export function cpuRows(report: CpuReport): string[][] {
  const rows = Object.entries(report.perProcess).map(([name, cpu]) => 'cpuMs' in cpu
    ? [name, String(cpu.pid), (cpu.cpuMs / 1000).toFixed(2), cores(cpu.cpuMs, report.window.seconds), msPerOp(report.perSuccessfulOp[name] ?? null)]
    : [name, '—', `not measured: ${cpu.notMeasured}`, '—', '—']);
  rows.push([report.total.complete ? 'total' : 'total (measured components only)', '', (report.total.cpuMs / 1000).toFixed(2),
    cores(report.total.cpuMs, report.window.seconds), msPerOp(report.total.perSuccessfulOp)]);
  return rows;
}

export const CPU_COLUMNS = ['component', 'pid', 'CPU s', 'cores busy', 'CPU-ms per successful op'] as const;

const cores = (ms: number, seconds: number): string => (seconds > 0 ? (ms / 1000 / seconds).toFixed(2) : '—');
const msPerOp = (v: number | null): string => (v === null ? '—' : v.toFixed(3));

/** The table as plain aligned text, for the benchmarks' output; why a row is not measured goes below it. */
export function cpuText(report: CpuReport, title: string): string {
  const rows = [[...CPU_COLUMNS], ...cpuRows(report).map((r) => (r[2]?.startsWith('not measured') ? [r[0]!, r[1]!, 'not measured', r[3]!, r[4]!] : r))];
  const widths = CPU_COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const reasons = Object.entries(report.perProcess).flatMap(([name, cpu]) => ('notMeasured' in cpu ? [`  ${name} not measured: ${cpu.notMeasured}`] : []));
  return `${title} — CPU over ${report.window.seconds.toFixed(1)} s, ${report.successfulOps} successful operations\n${[...lines, ...reasons].join('\n')}\n`;
}

/** One line for a CLI: CPU-ms per successful operation by component, then the total. */
export function cpuLine(report: CpuReport): string {
  const parts = Object.entries(report.perSuccessfulOp).map(([name, v]) => `${name} ${v === null ? 'not measured' : v.toFixed(3)}`);
  const total = report.total.perSuccessfulOp === null ? '—' : `${report.total.perSuccessfulOp.toFixed(3)} ms`;
  return `CPU-ms per successful op: ${parts.join(', ')}; total ${total}${report.total.complete ? '' : ' (measured components only)'}`;
}
