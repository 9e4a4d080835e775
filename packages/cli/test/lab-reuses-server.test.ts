import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../core/src/lab/managed-process.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { runCli } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../bin/perf-lab.mjs', import.meta.url));

/**
 * `perf-lab lab` while `perf-lab serve` runs in another terminal on the same target: the lab
 * uses that server when its settings are the ones asked for and leaves it running; otherwise it
 * says what differs and what to do (exit 2), and still leaves it running.
 */
describe('perf-lab lab with a server perf-lab serve started', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let serve: ChildProcess | undefined;
  let serverPid = 0;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-reuse-runs-'));
  const lab = (...extra: string[]) => runCli(['lab', '--scale', '0.05', '--users', '3000', '--coupon-stock', '100', '--runs-dir', runsDir, ...extra], env, { timeoutMs: 240_000 });

  beforeAll(async () => {
    db = await createTestDatabase('reuse');
    env = envOf(db.config);
    serve = spawn(process.execPath, [BIN, 'serve', '--set', 'pool=12'], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: 'ignore' });
    const deadline = Date.now() + 90_000;
    while ((await fetch(`${db.config.targetUrl}/health`).catch(() => undefined))?.ok !== true) {
      if (Date.now() > deadline || serve.exitCode !== null) throw new Error('perf-lab serve did not bring a healthy server up');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    serverPid = Number(readFileSync(path.join(db.config.stateDir, 'reference-server', 'server.pid'), 'utf8'));
  }, 120_000);
  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve!.once('exit', resolve));
      serve.kill('SIGINT');
      await exited;
    }
    await runCli(['down'], env);
    await db?.drop();
  });

  it('uses the running server when the settings match, and leaves it running', async () => {
    const r = await lab('--set', 'pool=12');
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stderr).toContain(`using the reference server perf-lab started at ${db.config.targetUrl} (pid ${serverPid}`);
    expect(r.stderr).not.toMatch(/another process/);
    // stdout: the outcomes in business words with counts and shares, and the audit's verdict.
    expect(r.stdout).toMatch(/^outcomes of 130 responses:\n {2}issued +100 +76\.9 %\n {2}sold out +30 +23\.1 % +COUPON_SOLD_OUT\n {2}system errors +0 +0\.0 %$/m);
    expect(r.stdout).toMatch(/^audit ok: \d+ invariants held/m);
    expect(isAlive(serverPid)).toBe(true);
    expect(serve?.exitCode).toBeNull();
    expect((await fetch(`${db.config.targetUrl}/health`)).ok).toBe(true);
  }, 240_000);

  it('says what differs and what to do when the settings differ (exit 2), and does not stop it', async () => {
    const r = await lab('--set', 'strategy=naive');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`the reference server perf-lab started at ${db.config.targetUrl} (pid ${serverPid}`);
    expect(r.stderr).toContain('strategy: it runs redis-kafka, this run wants naive');
    expect(r.stderr).toContain('pool: it runs 12, this run wants 10');
    expect(r.stderr).toContain('pass --set pool=12');
    expect(r.stderr).toContain('Ctrl-C where `perf-lab serve` runs, or `perf-lab down`');
    expect(isAlive(serverPid)).toBe(true);
    expect(serve?.exitCode).toBeNull();
  }, 120_000);
});
