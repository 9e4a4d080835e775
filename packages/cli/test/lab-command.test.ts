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
    expect(cli.code, `${cli.stdout}\n${cli.stderr.slice(-2000)}`).toBe(0);
    const out = JSON.parse(cli.stdout) as { runDir: string; report: string; audit: string; systemErrors: number; thresholdsPassed: boolean };
    expect(out).toMatchObject({ audit: 'ok', systemErrors: 0, thresholdsPassed: true });
    expect(out).toMatchObject({ outcomes: [
      { outcome: 'issued', count: 100, share: 100 / 130 },
      { outcome: 'sold out', code: 'COUPON_SOLD_OUT', count: 30, share: 30 / 130 },
      { outcome: 'system errors', count: 0 },
    ] });
    const report = readFileSync(out.report, 'utf8');
    for (const heading of ['## Run', '## Results', '## Thresholds', '## Audit', '## Charts', '## Profile']) expect(report).toContain(heading);
    expect(report).toContain('Verdict: **ok**');
    expect(report).toMatch(/\| COUPON_SOLD_OUT \| 30 \|/);
    const svgs = readdirSync(out.runDir).filter((f) => f.endsWith('.svg'));
    expect(svgs.sort()).toEqual(['latency-p95.svg', 'outcomes.svg', 'throughput.svg', 'vus.svg']);
    for (const svg of svgs) {
      expect(report).toContain(`](./${svg})`);
      expect(readFileSync(path.join(out.runDir, svg), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    }
    // Inline charts, so the report keeps them when pasted into a PR or a job summary.
    const blocks = [...report.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const titles = blocks.map((b) => /title "([^"]*)"/.exec(b)?.[1]);
    expect(titles).toEqual(['Throughput', 'Responses per second by outcome', 'Latency of successful responses per second',
      expect.stringMatching(/^Latency histogram of \d+ successful responses$/), 'Virtual users']);
    for (const b of blocks) expect(b).toMatch(/xychart-beta\n/);
    const latency = blocks[2]!;
    // p50, p95, p99 and the profile's two thresholds (p95 < 500 ms, p99 < 1000 ms) as constant lines.
    expect(latency.match(/^ {2}line \[/gm)).toHaveLength(5);
    expect(latency).toMatch(/^ {2}line \[500(, 500)*\]$/m);
    expect(latency).toMatch(/^ {2}line \[1000(, 1000)*\]$/m);
    expect(report).toContain('business: COUPON_SOLD_OUT');
    // 130 requests for 100 coupons: 100 accepted, 30 sold out, and the outcome table gives the shares.
    expect(report).toContain('| accepted | OK | 100 | 76.9 % |');
    expect(report).toContain('| business failure | COUPON_SOLD_OUT | 30 | 23.1 % |');
    expect(report).toContain('Latency histogram of 100 successful responses');
    expect(existsSync(path.join(out.runDir, 'operations.log'))).toBe(true);

    // Gated against a baseline, the job summary draws the run against the baseline and its floor/ceiling.
    const baseline = path.join(runsDir, 'baseline.json');
    expect((await runCli(['gate', '--baseline', baseline, '--run', out.runDir, '--update-baseline'], env)).code).toBe(0);
    const gated = await runCli(['gate', '--baseline', baseline, '--run', out.runDir], env);
    expect(gated.code).toBe(0);
    expect(gated.stdout).toContain('title "Throughput against the baseline"');
    expect(gated.stdout).toContain('title "p95 latency against the baseline"');
    expect(gated.stdout).toMatch(/grey: baseline p95 \([\d.]+\) · red: ceiling \([\d.]+\)/);
  });
});
