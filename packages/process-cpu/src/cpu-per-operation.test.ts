import { describe, expect, it } from 'vitest';
import { cpuLine, cpuPerOperation, cpuRows, cpuText } from './cpu-per-operation.ts';
import { startCpuWindow } from './cpu-window.ts';

const window = {
  startedAt: '2026-01-01T00:00:00.000Z', seconds: 10,
  perProcess: { server: { pid: 1, cpuMs: 1800 }, mysql: { pid: 2, cpuMs: 300 }, kafka: { notMeasured: 'external service at k:9092' } },
};

describe('cpuPerOperation', () => {
  it('divides each measured component by the successes; the unmeasured one stays null, not 0', () => {
    const report = cpuPerOperation(window, 10_000);
    expect(report.perSuccessfulOp).toEqual({ server: 0.18, mysql: 0.03, kafka: null });
    expect(report.total).toEqual({ cpuMs: 2100, perSuccessfulOp: 0.21, complete: false });
  });

  it('has no per-operation figure when nothing succeeded', () => {
    const report = cpuPerOperation(window, 0);
    expect(report.perSuccessfulOp['server']).toBeNull();
    expect(report.total.perSuccessfulOp).toBeNull();
  });

  it('says "not measured" in the table and marks the total as partial', () => {
    const rows = cpuRows(cpuPerOperation(window, 10_000));
    expect(rows[2]?.[2]).toBe('not measured: external service at k:9092');
    expect(rows[3]?.[0]).toBe('total (measured components only)');
    expect(rows[0]).toEqual(['server', '1', '1.80', '0.18', '0.180']);
    const text = cpuText(cpuPerOperation(window, 10_000), 'x');
    expect(text).toContain('10000 successful operations');
    expect(text).toMatch(/^kafka +— +not measured/m);
    expect(text).toContain('  kafka not measured: external service at k:9092');
    expect(cpuLine(cpuPerOperation(window, 10_000))).toBe(
      'CPU-ms per successful op: server 0.180, mysql 0.030, kafka not measured; total 0.210 ms (measured components only)');
  });
});

describe('startCpuWindow', () => {
  it('measures CPU this process burns inside the window, and a pid that is not there as not measured', () => {
    const running = startCpuWindow([{ name: 'self', pid: process.pid }, { name: 'gone', pid: 2 ** 22 + 7 }, { name: 'external', notMeasured: 'elsewhere' }]);
    const usage = process.cpuUsage();
    let x = 0;
    // Burn 200 ms of CPU (not of wall time: the machine may be shared).
    while (process.cpuUsage(usage).user < 200_000) x += Math.sqrt(x + 1);
    const spent = process.cpuUsage(usage);
    const result = running.stop();
    expect(x).toBeGreaterThan(0);
    const self = result.perProcess['self'];
    // The OS counts in clock ticks (10 ms): within a few of what Node's own counter saw.
    expect(self && 'cpuMs' in self ? self.cpuMs : -1).toBeGreaterThan((spent.user + spent.system) / 1000 - 40);
    expect(result.perProcess['gone']).toEqual({ notMeasured: `no process ${2 ** 22 + 7} readable in /proc at the start of the window` });
    expect(result.perProcess['external']).toEqual({ notMeasured: 'elsewhere' });
  });
});
