import { mkdtempSync, readFileSync } from 'node:fs';
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
});
