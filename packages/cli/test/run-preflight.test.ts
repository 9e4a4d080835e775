import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { seed, startReferenceServer, type RunningServer } from '@perf-lab/core';
import { freePort } from '../../core/test/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

/**
 * `perf-lab run` checks before any load and fails in seconds with exit 2, the cause and what
 * to do — against real sockets and a real, unseeded reference server.
 */
describe('run: pre-flight', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let server: RunningServer;
  const cwd = mkdtempSync(path.join(tmpdir(), 'perf-lab-preflight-'));
  const runs = path.join(cwd, 'reports', 'runs');

  beforeAll(async () => {
    db = await createTestDatabase('preflight');
    env = envOf(db.config);
    server = await startReferenceServer(db.config, {}, { logFile: path.join(db.config.stateDir, 'server.log') });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function run(target: string): Promise<{ code: number; stderr: string; seconds: number }> {
    const started = performance.now();
    const cli = await runCli(['run', 'coupon', '--target', target], env, { cwd, timeoutMs: 60_000 });
    return { code: cli.code, stderr: cli.stderr, seconds: (performance.now() - started) / 1000 };
  }

  it('nothing listening: names the address and says to start perf-lab serve; no run folder is made', async () => {
    const port = await freePort();
    const cli = await run(`http://127.0.0.1:${port}`);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('pre-flight check failed, no load was sent');
    expect(cli.stderr).toContain(`nothing listens on 127.0.0.1:${port}: start \`perf-lab serve\``);
    expect(cli.seconds).toBeLessThan(20);
    expect(existsSync(runs)).toBe(false);
  });

  it('a host name that does not resolve is a DNS failure', async () => {
    const cli = await run('http://no-such-host.invalid:8080');
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/cannot resolve no-such-host\.invalid \(DNS: (ENOTFOUND|EAI_AGAIN)\)/);
  });

  it('a server that accepts connections but never answers fails on a short timeout, not the run\'s duration', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const cli = await run(`http://127.0.0.1:${port}`);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain(`127.0.0.1:${port} accepts connections but did not answer GET /health within 5 s`);
      expect(cli.seconds).toBeLessThan(25);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a blackholed address (connections neither accepted nor refused) fails on the 3 s connect timeout', async () => {
    // A listener whose accept queue (backlog 1) is full and whose process never accepts: the
    // kernel drops further SYNs, as a blackholed address does. Atomics.wait blocks without CPU.
    const listener = spawn(process.execPath, ['-e', `
      const s = require('node:net').createServer();
      s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
        process.stdout.write(s.address().port + '\\n'); // a pipe: written synchronously on Linux
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      });`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const held: net.Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => listener.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      // Fill the queue: these two complete their handshakes, later ones hang.
      for (let i = 0; i < 2; i++) {
        const socket = net.connect({ port, host: '127.0.0.1' });
        held.push(socket);
        await new Promise((resolve) => socket.once('connect', resolve));
      }
      const cli = await run(`http://127.0.0.1:${port}`);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain(`no answer from 127.0.0.1:${port} within 3 s (connection neither accepted nor refused: a blackholed or firewalled address?)`);
      expect(cli.seconds).toBeLessThan(25);
    } finally {
      for (const socket of held) socket.destroy();
      listener.kill('SIGKILL');
    }
  });

  it('a server that answers 404 does not speak the API', async () => {
    const other = http.createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as net.AddressInfo).port;
    try {
      const cli = await run(`http://127.0.0.1:${port}`);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain(`127.0.0.1:${port} answers HTTP 404 on GET /health: it does not speak perf-lab's API`);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('the reference server before seed: coupon 1 not found and no seed manifest, each saying to run perf-lab seed', async () => {
    const cli = await run(server.url);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('coupon 1 not found at the target (COUPON_NOT_FOUND): run `perf-lab seed`');
    expect(cli.stderr).toMatch(/no seed manifest at .*seed-manifest\.json: run `perf-lab seed`/);
    expect(cli.stderr).not.toContain('nothing listens');
  });

  it('once seeded, the same run passes the checks and loads; after users vanish from the database it is refused', async () => {
    await seed(db.config, { plan: { users: 600, couponStock: 10 } });
    const ok = await runCli(['run', 'coupon', '--target', server.url, '-p', 'sequential', '--vus', '2', '--runs-dir', path.join(cwd, 'ok')], env, { cwd });
    expect(ok.stderr).not.toContain('pre-flight');
    // The load ran in full: 2 VUs × 250 users, 10 coupons. (Exit 1 only if a latency threshold
    // fails on a loaded machine; the checks before the load are what this test is about.)
    expect(ok.stdout).toContain('500 requests');
    expect(ok.stdout).toContain('10 accepted, 490 business failures, 0 system errors');
    // The outcomes in the business's words, with counts and shares, on stdout.
    expect(ok.stdout).toMatch(/^outcomes of 500 responses:\n {2}issued +10 +2\.0 %\n {2}sold out +490 +98\.0 % +COUPON_SOLD_OUT\n {2}system errors +0 +0\.0 %$/m);
    expect(ok.stdout).toContain('audit: not part of run — `perf-lab audit --run');
    expect([0, 1]).toContain(ok.code);

    const conn = await mysql.createConnection(db.config.mysql.url);
    await conn.query('DELETE FROM users WHERE id > 100');
    await conn.end();
    const gone = await run(server.url);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/holds 100 of the 600 users the seed manifest .* describes — the data was wiped or replaced since: run `perf-lab seed`/);
  });

  it('a lab service that is down is named with what to do', async () => {
    const cli = await runCli(['run', 'coupon', '--target', server.url], { ...env, PERF_LAB_REDIS_URL: 'redis://127.0.0.1:1' }, { cwd });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/redis at 127\.0\.0\.1:1 does not answer \(.*ECONNREFUSED.*\): start it, or check its address/);
  });
});
