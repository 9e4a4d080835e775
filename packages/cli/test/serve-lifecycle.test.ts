import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labEnvironment } from '../../core/src/index.ts';
import { isAlive } from '../../core/src/lab/managed-process.ts';
import { runCli } from './run-cli.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';

const BIN = fileURLToPath(new URL('../../cli/bin/perf-lab.mjs', import.meta.url));

/** `perf-lab serve` never leaves an orphaned server behind, and `down` stops the one it started. */
describe('perf-lab serve and the server it starts', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const clis: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('serve');
    env = { ...labEnvironment(db.config), NO_COLOR: '1' };
  });
  afterAll(async () => {
    for (const cli of clis) cli.kill('SIGKILL');
    await runCli(['down'], env);
    await db?.drop();
  });

  /** Starts `perf-lab serve` and resolves with its pid and the server's once /health answers. */
  async function serve(args: readonly string[] = []): Promise<{ cli: ChildProcess; server: number }> {
    const cli = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
    clis.push(cli);
    await until(async () => (await fetch(`${db.config.targetUrl}/health`).catch(() => undefined))?.ok === true, 60_000);
    const server = Number(readFileSync(path.join(db.config.stateDir, 'reference-server', 'server.pid'), 'utf8'));
    expect(server).not.toBe(cli.pid);
    return { cli, server };
  }

  it('kill -9 of the CLI: the server notices its owner is gone and drains itself', async () => {
    const { cli, server } = await serve();
    cli.kill('SIGKILL');
    await until(async () => !isAlive(server), 30_000);
  }, 120_000);

  it('Ctrl-C (SIGINT) on the CLI: one graceful stop, exit 0', async () => {
    const { cli, server } = await serve();
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    cli.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(isAlive(server)).toBe(false);
  }, 120_000);

  it('perf-lab down stops a server perf-lab started', async () => {
    const { server } = await serve();
    const down = await runCli(['down', '--json'], env);
    expect(down.code).toBe(0);
    expect((JSON.parse(down.stdout) as { services: { service: string; outcome: string }[] }).services)
      .toContainEqual({ service: 'reference-server', outcome: 'stopped' });
    expect(isAlive(server)).toBe(false);
  }, 120_000);

  it('serve --instances 3: three servers, each answering on its own port; down stops all three', async () => {
    await serve(['--instances', '3']);
    const launch = JSON.parse(readFileSync(path.join(db.config.stateDir, 'reference-server', 'launch.json'), 'utf8')) as { instances: { url: string }[] };
    expect(launch.instances).toHaveLength(3);
    await until(async () => (await Promise.all(launch.instances.map((i) => fetch(`${i.url}/health`).then((r) => r.ok, () => false)))).every(Boolean), 60_000);
    const pids = [1, 2, 3].map((i) => Number(readFileSync(path.join(db.config.stateDir, 'reference-server', i === 1 ? 'server.pid' : `server-${i}.pid`), 'utf8')));
    expect(new Set(pids).size).toBe(3);
    expect((await runCli(['down'], env)).code).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 120_000);
});

async function until(check: () => Promise<boolean>, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
