import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_ENV } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { PerfLabError, ServiceError, ErrorKind } from '../errors.ts';
import { labEnvironment } from '../lab/lab-environment.ts';
import { delay, fileSize, runningPid, spawnManaged, stopManaged, tailFile, type ManagedProcess, type StopOutcome } from '../lab/managed-process.ts';
import { portInUse } from '../lab/port-check.ts';
import { writeJson } from '../run/run-record.ts';
import { startFailureMessage } from './start-failure.ts';
import { forgetStartedServer, recordStartedServer } from './started-server.ts';
import { waitForHealth } from './wait-for-health.ts';

/**
 * The reference server is a separate program: perf-lab finds it as a workspace package and
 * runs it as a process of its own (never imports it), passing the lab's addresses through the
 * environment names both programs share. Like the lab's services it has a pid file under the
 * state folder, so `perf-lab down` stops it and a fault can kill and restart it.
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
    ...labEnvironment(config),
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

/** How the running server was started, so a fault can restart it the same way (no secrets in it). */
interface ServerLaunch {
  readonly url: string;
  readonly settings: ServerSettings;
  readonly logFile: string;
  /** The CLI process that owns the server; the server drains itself when that process is gone. */
  readonly ownerPid: number;
}

export function referenceServerProcess(config: PerfLabConfig, logFile?: string): ManagedProcess {
  const dir = path.join(config.stateDir, 'reference-server');
  return {
    pidFile: path.join(dir, 'server.pid'),
    logFile: logFile ?? path.join(config.stateDir, 'reference-server.log'),
    marker: path.join(referenceServerDir(), 'src', 'server.ts'),
  };
}

const launchFile = (config: PerfLabConfig): string => path.join(config.stateDir, 'reference-server', 'launch.json');

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
  options: { logFile?: string; timeoutMs?: number; ownerPid?: number } = {},
): Promise<RunningServer> {
  const target = new URL(config.targetUrl);
  // Otherwise a server already on the port would answer our health check, and the load test
  // would measure (and the audit judge) a program perf-lab did not start.
  if (await portInUse(target.hostname, Number(target.port || 80))) {
    throw new ServiceError('reference-server', target.host,
      `cannot start the reference server: ${target.host} is already in use by another process — stop it ` +
        '(`perf-lab down` stops one perf-lab started), or point PERF_LAB_TARGET_URL (--target) at a free port');
  }
  const launch: ServerLaunch = {
    url: config.targetUrl, settings, logFile: referenceServerProcess(config, options.logFile).logFile,
    ownerPid: options.ownerPid ?? process.pid,
  };
  mkdirSync(path.dirname(launchFile(config)), { recursive: true });
  writeJson(launchFile(config), launch);
  const pid = await launchServer(config, launch, options.timeoutMs ?? config.startTimeoutMs);
  return { url: launch.url, pid, logFile: launch.logFile, stop: async () => void (await stopReferenceServer(config)) };
}

async function launchServer(config: PerfLabConfig, launch: ServerLaunch, timeoutMs: number): Promise<number> {
  const dir = referenceServerDir();
  const proc = referenceServerProcess(config, launch.logFile);
  const ownerWatch = fileURLToPath(new URL('./owner-watch.ts', import.meta.url));
  // The log is appended across starts (users tail one file); an error shows only this
  // process's lines, from the offset where it began.
  const logOffset = fileSize(launch.logFile);
  const pid = spawnManaged(proc, {
    command: process.execPath,
    args: ['--import', tsxLoader(), '--import', ownerWatch, proc.marker],
    cwd: dir, env: { ...serverEnv(config, launch.settings), PERF_LAB_SERVER_OWNER_PID: String(launch.ownerPid) },
  });
  const wait = await waitForHealth(launch.url, timeoutMs, () => runningPid(proc) !== pid);
  if (wait.healthy) {
    recordStartedServer(config, pid, launch.settings);
    return pid;
  }
  await stopManaged(proc, 20_000);
  throw new ServiceError('reference-server', launch.url, startFailureMessage({
    pid, url: launch.url, timeoutMs, wait, exited: undefined, logFile: launch.logFile, ownLog: tailFile(launch.logFile, 20, logOffset),
  }));
}

/** True when GET /health answers 200 within a second. */
export async function serverHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** The server perf-lab started under this state folder, if it is still running. */
export function managedServer(config: PerfLabConfig): { pid: number; url: string } | undefined {
  if (!existsSync(launchFile(config))) return undefined;
  const launch = JSON.parse(readFileSync(launchFile(config), 'utf8')) as ServerLaunch;
  const pid = runningPid(referenceServerProcess(config, launch.logFile));
  return pid === undefined ? undefined : { pid, url: launch.url };
}

/** Starts the server again exactly as it was launched last (after a fault killed it). */
export async function restartReferenceServer(config: PerfLabConfig, timeoutMs = config.startTimeoutMs): Promise<number> {
  if (!existsSync(launchFile(config))) throw new PerfLabError(ErrorKind.environment, 'no reference server was started under this state folder');
  return launchServer(config, JSON.parse(readFileSync(launchFile(config), 'utf8')) as ServerLaunch, timeoutMs);
}

/** SIGTERM (the server drains), SIGKILL after 20 s; a no-op when perf-lab started none. */
export async function stopReferenceServer(config: PerfLabConfig): Promise<StopOutcome> {
  const pid = runningPid(referenceServerProcess(config));
  const outcome = await stopManaged(referenceServerProcess(config), 20_000);
  if (pid !== undefined) forgetStartedServer(config, pid);
  return outcome;
}
