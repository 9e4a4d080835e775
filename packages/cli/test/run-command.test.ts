import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
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

  it('--hot-users past the seeded users is refused before any load (run and lab): exit 2, both counts, what to do, nothing changed', async () => {
    expect((await runCli(['seed', '--users', '300', '--coupon-stock', '10'], env)).code).toBe(0);
    const manifestFile = path.join(db.config.stateDir, 'seed-manifest.json');
    const seededAt = (JSON.parse(readFileSync(manifestFile, 'utf8')) as { seededAt: string }).seededAt;
    const conn = await mysql.createConnection(db.config.mysql.url);
    const orders = async () => ((await conn.query('SELECT user_id FROM orders'))[0] as { user_id: number }[]).map((r) => Number(r.user_id));
    try {
      const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-hot-users-'));
      const run = await runCli(['run', 'order', '--hot-users', '301', '--scale', '0.01', '--runs-dir', runsDir], env);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--hot-users 301 is more than the 300 user(s) in the seed manifest at ${manifestFile}`);
      expect(run.stderr).toContain('pass --hot-users 300 or fewer, or seed more (`perf-lab seed --users 301`); no load was sent');
      expect(readdirSync(runsDir)).toEqual([]);
      expect(await orders()).toEqual([]);

      // lab knows its seed before starting anything: refused before the lab, the seed's reset or the load.
      const lab = await runCli(['lab', '-s', 'order', '--users', '300', '--hot-users', '400', '--scale', '0.01', '--runs-dir', runsDir], env);
      expect(lab.code).toBe(2);
      expect(lab.stderr).toContain("--hot-users 400 is more than the 300 user(s) in this run's seed");
      expect(lab.stderr).toContain('pass --hot-users 300 or fewer, or seed more (`--users 400`)');
      expect(lab.stderr).not.toMatch(/^(lab: starting services|seed: )/m);
      expect((JSON.parse(readFileSync(manifestFile, 'utf8')) as { seededAt: string }).seededAt).toBe(seededAt);
      expect(readdirSync(runsDir)).toEqual([]);

      // Within the seed it runs, and every order goes to one of the hot users.
      const ok = await runCli(['run', 'order', '--hot-users', '3', '--scale', '0.01', '--runs-dir', runsDir], env);
      expect(ok.stderr).not.toMatch(/perf-lab: /);
      expect(ok.code).toBe(0);
      const placed = await orders();
      expect(placed.length).toBeGreaterThan(0);
      expect(placed.every((user) => user >= 1 && user <= 3)).toBe(true);
      // Every way out let the run lock go: the refusals, and the run that succeeded.
      expect(readdirSync(db.config.stateDir).filter((f) => f.endsWith('.lock'))).toEqual([]);
    } finally {
      await conn.end();
    }
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
