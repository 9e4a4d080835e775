import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunFolder } from '../../core/test/run-folder.ts';
import { runCli } from './run-cli.ts';

/** The report's "compared with the previous run" only compares runs of the same load. */
describe('perf-lab report', () => {
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-report-'));
  // Oldest first; folder names sort by their timestamp as the real ones do.
  const olderSame = writeRunFolder(path.join(runsDir, '2026-01-01T10-00-00-000Z-coupon-load'), { rps: 500, p95: 40, audit: 'ok' });
  writeRunFolder(path.join(runsDir, '2026-01-01T11-00-00-000Z-order-load'), { scenario: 'order', rps: 90, p95: 300, audit: 'ok' });
  writeRunFolder(path.join(runsDir, '2026-01-01T12-00-00-000Z-coupon-peak'), { profile: 'peak', rps: 2000, p95: 80, audit: 'ok' });
  const latest = writeRunFolder(path.join(runsDir, '2026-01-01T13-00-00-000Z-coupon-load'), { rps: 1000, p95: 50, audit: 'ok' });

  it('compares with the newest earlier run of the same scenario and profile, skipping others', async () => {
    const cli = await runCli(['report', '--run', latest, '--json']);
    expect(cli.code).toBe(0);
    const report = readFileSync((JSON.parse(cli.stdout) as { file: string }).file, 'utf8');
    expect(report).toContain(`Previous: \`${path.basename(olderSame)}\` (coupon / load).`);
    expect(report).toContain('| req/s | 500.00 | 1,000.00 | 2.00× |');
  });

  it('says there is none when no earlier run has the same scenario and profile', async () => {
    const peak = path.join(runsDir, '2026-01-01T12-00-00-000Z-coupon-peak');
    const cli = await runCli(['report', '--run', peak]);
    expect(cli.code).toBe(0);
    const report = readFileSync(path.join(peak, 'report.md'), 'utf8');
    expect(report).toContain('No previous run of coupon / peak in this folder.');
    expect(report).not.toContain('Previous: ');
  });
  it('marks an injected fault on the time charts (bar and legend) and lists it', async () => {
    const dir = writeRunFolder(path.join(mkdtempSync(path.join(tmpdir(), 'perf-lab-report-fault-')), '2026-01-02T10-00-00-000Z-coupon-load'), { rps: 100, p95: 20, audit: 'ok' });
    const record = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    record['faults'] = [{
      fault: 'kill-redis@3s:2s', action: 'kill', target: 'redis', plannedAtMs: 3000, plannedForMs: 2000, outcome: 'recovered',
      pid: 4242, startMs: 3000, endMs: 5000, recoveredMs: 6000, serverBackMs: 6000,
    }];
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
    // Ten seconds of load, the requests dropping while Redis was down.
    const series = Array.from({ length: 10 }, (_, i) => ({ t: i + 1, requests: i >= 3 && i < 6 ? 10 : 100, p95Ms: 20, vus: 5, systemFailures: i >= 3 && i < 6 ? 90 : 0 }));
    writeFileSync(path.join(dir, 'timeseries.json'), JSON.stringify(series));
    const cli = await runCli(['report', '--run', dir]);
    expect(cli.code, cli.stderr).toBe(0);
    const report = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(report).toContain('## Faults');
    expect(report).toMatch(/\| `kill-redis@3s:2s` \| 4242 \| 3\.0 s \| 5\.0 s \| 6\.0 s \| 1\.0 s \| recovered \|/);
    const throughput = /```mermaid\n[\s\S]*?title "Throughput"[\s\S]*?```\n\n(.*)\n/.exec(report);
    // The marker bar is drawn first, at full height over seconds 3–6 only, and named under the chart.
    expect(throughput?.[0]).toMatch(/\n {2}bar \[0, 0, (\d+(?:\.\d+)?), \1, \1, \1, 0, 0, 0, 0\]\n {2}line \[/);
    expect(throughput?.[1]).toContain('bars: kill-redis@3s:2s (3–6 s)');
  });
});
