import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envOf } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';

/** The main job end to end, as a user runs it, on a short profile. */
describe('perf-lab lab', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-lab-runs-'));

  beforeAll(async () => {
    db = await createTestDatabase('lab');
    env = envOf(db.config);
  });
  afterAll(async () => db?.drop());

  it('seeds, loads, audits and writes a report with its tables and SVG charts (exit 0)', async () => {
    const cli = await runCli(['lab', '--scenario', 'coupon', '--profile', 'sequential', '--scale', '0.05', '--users', '3000', '--coupon-stock', '100', '--runs-dir', runsDir, '--json'], env, { timeoutMs: 240_000 });
    expect(cli.stderr).not.toMatch(/perf-lab: /);
    expect(cli.code).toBe(0);
    const out = JSON.parse(cli.stdout) as { runDir: string; report: string; audit: string; systemErrors: number; thresholdsPassed: boolean };
    expect(out).toMatchObject({ audit: 'ok', systemErrors: 0, thresholdsPassed: true });
    const report = readFileSync(out.report, 'utf8');
    for (const heading of ['## Run', '## Results', '## Thresholds', '## Audit', '## Charts', '## Profile']) expect(report).toContain(heading);
    expect(report).toContain('Verdict: **ok**');
    expect(report).toMatch(/\| COUPON_SOLD_OUT \| 30 \|/);
    const svgs = readdirSync(out.runDir).filter((f) => f.endsWith('.svg'));
    expect(svgs.sort()).toEqual(['latency-p95.svg', 'throughput.svg', 'vus.svg']);
    for (const svg of svgs) {
      expect(report).toContain(`](./${svg})`);
      expect(readFileSync(path.join(out.runDir, svg), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    }
    expect(existsSync(path.join(out.runDir, 'operations.log'))).toBe(true);
  });
});
