import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLockFile, tryRunLock } from '@perf-lab/core';
import { envOf } from '../../core/test/private-lab.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { runCli } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../bin/perf-lab.mjs', import.meta.url));

/** A target that counts what reaches it: 404 to everything, or no answer at all. */
async function countingTarget(answer: boolean): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    requests++;
    if (answer) res.writeHead(404).end('not here');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

async function until(condition: () => boolean, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Two runs at once against one target would share its server and data, each audit judging the
 * other's writes: the second is refused before anything reaches the target. A lock whose owner
 * died is taken over; a run lets its lock go on failure and on Ctrl-C.
 */
describe('one run at a time against a target', () => {
  let db: TestDatabase;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-run-lock-'));

  beforeAll(async () => {
    db = await createTestDatabase('runlock');
  });
  afterAll(async () => db?.drop());

  it('a run or lab against a target a live run holds exits 2 at once, naming its pid, and sends nothing', async () => {
    const target = await countingTarget(true);
    const env = { ...envOf(db.config), PERF_LAB_TARGET_URL: target.url };
    const held = tryRunLock(db.config.stateDir, target.url, 'perf-lab lab (held by the test)');
    try {
      expect(held.held).toBe(true);
      for (const args of [['run', 'coupon'], ['lab', '-s', 'coupon']]) {
        const cli = await runCli([...args, '--scale', '0.01', '--runs-dir', runsDir], env, { timeoutMs: 60_000 });
        expect(cli.code, args[0]).toBe(2);
        expect(cli.stderr).toContain(`another perf-lab run is using the target ${target.url}: pid ${process.pid} (\`perf-lab lab (held by the test)\`, since `);
        expect(cli.stderr).toContain(`\`kill ${process.pid}\`), or point this run at another target (--target or PERF_LAB_TARGET_URL); no load was sent`);
        expect(cli.stderr).not.toContain('lab: starting services');
      }
      expect(target.requests()).toBe(0);
      expect(readdirSync(runsDir)).toEqual([]);
      // The refusals left the holder's lock as it was; another target is free.
      expect(JSON.parse(readFileSync(runLockFile(db.config.stateDir, target.url), 'utf8'))).toMatchObject({ pid: process.pid, target: target.url });
      const other = tryRunLock(db.config.stateDir, 'http://127.0.0.1:1', 'another target');
      expect(other.held).toBe(true);
      if (other.held) other.release();
    } finally {
      if (held.held) held.release();
      await target.close();
    }
    expect(existsSync(runLockFile(db.config.stateDir, target.url))).toBe(false);
  });

  it('a lock whose owner is dead (kill -9) is taken over, and let go when the run fails', async () => {
    const target = await countingTarget(true);
    const env = { ...envOf(db.config), PERF_LAB_TARGET_URL: target.url };
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid!;
    await new Promise((resolve) => dead.once('exit', resolve));
    const held = tryRunLock(db.config.stateDir, target.url, 'perf-lab run coupon (killed)');
    expect(held.held).toBe(true);
    const file = runLockFile(db.config.stateDir, target.url);
    // What a run killed with -9 leaves: its lock, naming a pid that no longer runs.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')) as object, pid: deadPid, processStart: null }));
    try {
      const cli = await runCli(['run', 'coupon', '--scale', '0.01', '--runs-dir', runsDir], env, { timeoutMs: 60_000 });
      // Past the lock, to the pre-flight, which finds a target that is not perf-lab's API.
      expect(cli.code).toBe(2);
      expect(cli.stderr).not.toContain('another perf-lab run');
      expect(cli.stderr).toContain(`answers HTTP 404 on GET /health`);
      expect(target.requests()).toBeGreaterThan(0);
      expect(existsSync(file)).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('Ctrl-C lets the lock go', async () => {
    const target = await countingTarget(false);
    const file = runLockFile(db.config.stateDir, target.url);
    // The pre-flight waits up to 5 s for /health from a target that never answers: Ctrl-C comes first.
    const child = spawn(process.execPath, [BIN, 'run', 'coupon', '--scale', '0.01', '--runs-dir', runsDir], {
      env: { ...process.env, NO_COLOR: '1', ...envOf(db.config), PERF_LAB_TARGET_URL: target.url }, stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      await until(() => target.requests() > 0, 30_000);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: child.pid });
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      expect(existsSync(file)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await target.close();
    }
  });
});
