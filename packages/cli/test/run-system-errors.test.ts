import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '@perf-lab/core';
import { freePort } from '../../core/test/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

/**
 * During and after a run, system errors are grouped by cause (k6's error code and name); a run
 * whose every request fails from the start stops early. --no-preflight lets the load reach a
 * port nothing listens on, as a target that died between the check and the load would.
 */
describe('run: system errors by cause', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const cwd = mkdtempSync(path.join(tmpdir(), 'perf-lab-syserr-'));

  beforeAll(async () => {
    db = await createTestDatabase('syserr');
    await seed(db.config, { plan: { users: 3000, couponStock: 10 } });
    env = envOf(db.config);
  });
  afterAll(async () => db?.drop());

  it('a short run against a refused port ends with its failures counted under "1212 connection refused" (exit 1)', async () => {
    const port = await freePort();
    const cli = await runCli(['run', 'coupon', '--no-preflight', '--target', `http://127.0.0.1:${port}`, '-p', 'sequential', '--vus', '2', '--runs-dir', path.join(cwd, 'short')], env, { cwd });
    expect(cli.code).toBe(1);
    const requests = Number(/(\d+) requests/.exec(cli.stdout)?.[1]);
    expect(requests).toBeGreaterThan(0);
    expect(cli.stdout).toContain(`system errors by cause: ${requests} × 1212 connection refused`);
  });

  it('a run that fails a thousand requests with nothing answered stops then, however early (exit 2)', async () => {
    const port = await freePort();
    const runsDir = path.join(cwd, 'cap');
    // 8 VUs × 250 users = 2,000 requests, all refused within a few seconds.
    const cli = await runCli(['run', 'coupon', '--no-preflight', '--target', `http://127.0.0.1:${port}`, '-p', 'sequential', '--vus', '8', '--runs-dir', runsDir], env, { cwd });
    expect(cli.code).toBe(2);
    const failed = Number(/all (\d+) requests failed with system errors/.exec(cli.stderr)?.[1]);
    expect(failed).toBeGreaterThanOrEqual(1000);
    expect(failed).toBeLessThan(2000);
  });

  it('a longer run whose every request fails stops after about 10 s, not its 60 s, with the cause (exit 2)', async () => {
    const port = await freePort();
    const runsDir = path.join(cwd, 'long');
    const started = performance.now();
    const cli = await runCli(['run', 'coupon', '--no-preflight', '--target', `http://127.0.0.1:${port}`, '-p', 'load', '--vus', '20', '--duration', '60s', '--runs-dir', runsDir], env, { cwd, timeoutMs: 90_000 });
    const seconds = (performance.now() - started) / 1000;
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/perf-lab: stopped after \d+ s: all (\d+) requests failed with system errors and none was answered \(\1 × 1212 connection refused\)/);
    // The progress line names the cause while the run goes on.
    expect(cli.stderr).toMatch(/\d+s +vus +\d+ .* system errors \d+: \d+ × 1212 connection refused/);
    expect(seconds).toBeLessThan(40);
    const [dir] = readdirSync(runsDir);
    const record = JSON.parse(readFileSync(path.join(runsDir, dir!, 'run.json'), 'utf8')) as { aborted: boolean; abortReason: string; outcomes: { system: Record<string, number>; success: object } };
    expect(record.aborted).toBe(true);
    expect(record.abortReason).toContain('1212 connection refused');
    expect(record.outcomes.system['ERROR_1212']).toBeGreaterThanOrEqual(10);
    expect(record.outcomes.success).toEqual({});
    // The report says why the run stopped and lists the system errors by cause.
    const report = await runCli(['report', '--run', path.join(runsDir, dir!)], env, { cwd });
    expect(report.code).toBe(0);
    const markdown = readFileSync(path.join(runsDir, dir!, 'report.md'), 'utf8');
    expect(markdown).toContain(`**Stopped early by perf-lab:** ${record.abortReason}.`);
    expect(markdown).toContain('### System errors by cause');
    expect(markdown).toContain(`| 1212 connection refused | \`ERROR_1212\` | ${record.outcomes.system['ERROR_1212']} | 100.0 % |`);
  });
});
