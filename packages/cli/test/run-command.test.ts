import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '@perf-lab/core';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

/** seed and run as a user types them, against the real reference server on the shared lab. */
describe('perf-lab seed | run', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase('runcmd');
    env = envOf(db.config);
    server = await startReferenceServer(db.config, {}, { logFile: path.join(db.config.stateDir, 'server.log') });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('--json: one document on stdout, progress still on stderr', async () => {
    const cli = await runCli(['seed', '--users', '300', '--coupon-stock', '10', '--json'], env);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ users: 300, coupons: 2, products: 10 });
    expect(cli.stderr).toContain('  reset previous seed data\n');
    expect(cli.stderr).toMatch(/ {2}users: 300 rows/);
  });

  it('run without --profile uses the shared default (sequential), recorded in run.json', async () => {
    expect((await runCli(['seed', '--users', '300', '--coupon-stock', '10'], env)).code).toBe(0);
    const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-run-cmd-'));
    const cli = await runCli(['run', 'coupon', '--scale', '0.04', '--vus', '5', '--runs-dir', runsDir, '--json'], env);
    expect(cli.stderr).not.toMatch(/perf-lab: /);
    expect(cli.code).toBe(0);
    const out = JSON.parse(cli.stdout) as { runDir: string; requests: number; accepted: number };
    expect(out).toMatchObject({ requests: 50, accepted: 10 });
    expect(path.basename(out.runDir)).toMatch(/-coupon-sequential$/);
    expect(JSON.parse(readFileSync(path.join(out.runDir, 'run.json'), 'utf8'))).toMatchObject({ scenario: 'coupon', profile: 'sequential' });
  });

  it('lab, run and compare show the same default profile in their help', async () => {
    for (const command of ['lab', 'run', 'compare']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      // commander wraps help at 80 columns; compare the text with the wrapping undone.
      expect(help.stdout.replace(/\s+/g, ' '), command).toContain('-p, --profile <name> load profile (choices: "sequential", "load", "peak", default: "sequential")');
    }
  });
});
