import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SERVER_ENV } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { PerfLabError, ServiceError, ErrorKind } from '../errors.ts';
import { delay, fileSize, tailFile } from '../lab/managed-process.ts';
import { portInUse } from '../lab/port-check.ts';
import { waitForHealth } from './wait-for-health.ts';
import { startFailureMessage } from './start-failure.ts';

/**
 * The reference server is a separate program: perf-lab finds it as a workspace package and
 * runs it as a child process (never imports it), passing the lab's addresses through the
 * environment names both programs share.
 */
export function referenceServerDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@perf-lab/reference-server/package.json'));
}

const tsxLoader = (): string => import.meta.resolve('tsx');

/** Server settings by their REF_* environment names, e.g. { REF_LOCK_SCOPE: 'global' }. */
export type ServerSettings = Readonly<Record<string, string>>;

function serverEnv(config: PerfLabConfig, settings: ServerSettings): NodeJS.ProcessEnv {
  const target = new URL(config.targetUrl);
  return {
    ...process.env,
    [SERVER_ENV.mysqlUrl]: config.mysql.url,
    [SERVER_ENV.redisUrl]: config.redis.url,
    [SERVER_ENV.kafkaBrokers]: config.kafka.brokers.join(','),
    [SERVER_ENV.host]: target.hostname,
    [SERVER_ENV.port]: target.port || '80',
    [SERVER_ENV.redisKeyPrefix]: config.redisKeyPrefix,
    [SERVER_ENV.kafkaTopicPrefix]: config.kafka.topicPrefix,
    [SERVER_ENV.consumerGroup]: config.kafka.consumerGroup,
    ...settings,
  };
}

export async function runMigrations(config: PerfLabConfig): Promise<string> {
  const dir = referenceServerDir();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader(), path.join(dir, 'src', 'migrate.ts')], {
      cwd: dir, env: serverEnv(config, {}), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out)
      : reject(new PerfLabError(ErrorKind.environment, `migrations failed on ${config.mysql.host}:${config.mysql.port}/${config.mysql.database}:\n${out.trim()}`))));
  });
}

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Starts the reference server and waits for GET /health; stop() drains it gracefully. */
export async function startReferenceServer(
  config: PerfLabConfig,
  settings: ServerSettings = {},
  options: { logFile?: string; timeoutMs?: number } = {},
): Promise<RunningServer> {
  const dir = referenceServerDir();
  const target = new URL(config.targetUrl);
  // Otherwise a server already on the port would answer our health check, and the load test
  // would measure (and the audit judge) a program perf-lab did not start.
  if (await portInUse(target.hostname, Number(target.port || 80))) {
    throw new ServiceError('reference-server', target.host,
      `cannot start the reference server: ${target.host} is already in use by another process — stop it, ` +
        'or point PERF_LAB_TARGET_URL (--target) at a free port');
  }
  const logFile = options.logFile ?? path.join(config.stateDir, 'reference-server.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  // The log is appended across starts (users tail one file); an error shows only this
  // process's lines, from the offset where it began.
  const logOffset = fileSize(logFile);
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', tsxLoader(), path.join(dir, 'src', 'server.ts')], {
      cwd: dir, env: serverEnv(config, settings), stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  const url = config.targetUrl;
  // The same bound as the lab's services (PERF_LAB_START_TIMEOUT), so a slow machine can raise both at once.
  const timeoutMs = options.timeoutMs ?? config.startTimeoutMs;
  const wait = await waitForHealth(url, timeoutMs, () => exit !== undefined);
  const stop = async (): Promise<void> => {
    if (exit) return;
    child.kill('SIGTERM');
    const until = Date.now() + 20_000;
    while (!exit && Date.now() < until) await delay(50);
    if (!exit) child.kill('SIGKILL');
  };
  if (!wait.healthy) {
    await stop();
    const exited = exit && (exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`);
    throw new ServiceError('reference-server', url, startFailureMessage({
      pid: child.pid, url, timeoutMs, wait, exited, logFile, ownLog: tailFile(logFile, 20, logOffset),
    }));
  }
  return { url, pid: child.pid ?? -1, logFile, stop };
}

