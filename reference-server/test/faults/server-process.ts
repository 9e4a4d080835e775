import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENV_NAMES } from '../../src/config.ts';
import type { ConfigKey, ConfigOverrides } from '../../src/config.ts';
import { http, lab, waitFor } from '../helper.ts';

/**
 * The server as `perf-lab serve` runs it: `src/server.ts` in a child process, configured only
 * through its environment (built here from config keys, so no variable name is respelled).
 */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves with the address once it listens; rejects if it exits first. */
  readonly url: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));

export function spawnServer(overrides: ConfigOverrides): ServerProcess {
  const settings: ConfigOverrides = {
    mysqlUrl: lab.mysql.url,
    redisUrl: lab.redis.url,
    kafkaBrokers: lab.kafka.brokers,
    port: 0,
    migrateOnStart: false,
    logLevel: 'warn',
    ...overrides,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined) env[ENV_NAMES[key as ConfigKey]] = Array.isArray(value) ? value.join(',') : String(value);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`)));
  });
  url.catch(() => undefined);
  return { child, url, exited, output: () => out };
}

/** ms from `since` until GET /health answers 200. */
export async function healthyAfter(server: ServerProcess, since: number, timeoutMs = 30_000): Promise<number> {
  const url = await Promise.race([
    server.url,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not listening within ${timeoutMs} ms:\n${server.output()}`)), timeoutMs)),
  ]);
  await waitFor(async () => (await http(`${url}/health`, { timeoutMs: 2_000 })).status === 200, { timeoutMs, what: 'GET /health 200' });
  return Date.now() - since;
}

export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}
