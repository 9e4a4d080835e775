import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_COUPON_PARTITIONS, SERVER_ENV } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { PerfLabError, ServiceError, ErrorKind } from '../errors.ts';
import { labEnvironment } from '../lab/lab-environment.ts';
import { delay, fileSize, runningPid, spawnManaged, stopManaged, tailFile, type ManagedProcess, type StopOutcome } from '../lab/managed-process.ts';
import { portInUse } from '../lab/port-check.ts';
import { writeJson } from '../run/run-record.ts';
import { instanceFileName, instancePorts, instanceUrl } from './server-instances.ts';
import { startFailureMessage } from './start-failure.ts';
import { forgetStartedServer, recordStartedServer, startedServer } from './started-server.ts';
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

function serverEnv(config: PerfLabConfig, settings: ServerSettings, url = config.targetUrl): NodeJS.ProcessEnv {
  const target = new URL(url);
  return {
    ...process.env,
    ...labEnvironment(config),
    [SERVER_ENV.host]: target.hostname,
    [SERVER_ENV.port]: target.port || '80',
    [SERVER_ENV.redisKeyPrefix]: config.redisKeyPrefix,
    [SERVER_ENV.kafkaTopicPrefix]: config.kafka.topicPrefix,
    // One group for every instance: they share the coupon topic's partitions.
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

/** One server process of a launch: instance 1 is the target itself. */
interface InstanceLaunch {
  readonly index: number;
  readonly url: string;
  readonly logFile: string;
  /** The launch's settings plus this instance's own (tests only: one stalling holder). */
  readonly settings: ServerSettings;
}

/** How the running servers were started, so a fault can restart one the same way (no secrets in it). */
interface ServerLaunch {
  readonly url: string;
  readonly settings: ServerSettings;
  readonly logFile: string;
  /** The CLI process that owns the servers; each drains itself when that process is gone. */
  readonly ownerPid: number;
  /** Absent in a record written before instances existed: then the one server above. */
  readonly instances?: readonly InstanceLaunch[];
}

export function referenceServerProcess(config: PerfLabConfig, logFile?: string, index = 1): ManagedProcess {
  const dir = path.join(config.stateDir, 'reference-server');
  return {
    pidFile: path.join(dir, instanceFileName('server.pid', index)),
    logFile: logFile ?? instanceFileName(path.join(config.stateDir, 'reference-server.log'), index),
    marker: path.join(referenceServerDir(), 'src', 'server.ts'),
  };
}

const launchFile = (config: PerfLabConfig): string => path.join(config.stateDir, 'reference-server', 'launch.json');

function readLaunch(config: PerfLabConfig): { launch: ServerLaunch; instances: readonly InstanceLaunch[] } | undefined {
  if (!existsSync(launchFile(config))) return undefined;
  const launch = JSON.parse(readFileSync(launchFile(config), 'utf8')) as ServerLaunch;
  return { launch, instances: launch.instances ?? [{ index: 1, url: launch.url, logFile: launch.logFile, settings: launch.settings }] };
}

export interface RunningServer {
  /** Instance 1's, the target's. */
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  /** Every instance's base URL, instance 1 first. */
  readonly urls: readonly string[];
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

export interface StartServerOptions {
  readonly logFile?: string;
  readonly timeoutMs?: number;
  readonly ownerPid?: number;
  /** Server processes sharing the lab (`instances=N`); default 1. */
  readonly instances?: number;
  /** Settings of one instance on top of the common ones: for tests that make one instance stall. */
  readonly instanceSettings?: (index: number) => ServerSettings;
}

/**
 * Starts the reference server — N processes when asked, each on its own port, all sharing the
 * lab's MySQL, Redis and Kafka — and waits for each GET /health; stop() drains them.
 */
export async function startReferenceServer(config: PerfLabConfig, settings: ServerSettings = {}, options: StartServerOptions = {}): Promise<RunningServer> {
  const count = options.instances ?? 1;
  const target = new URL(config.targetUrl);
  const own = startedServer(config);
  if (own && await portInUse(target.hostname, Number(target.port || 80))) {
    // `lab` reuses such a server (reuse-server.ts); a job that needs servers of its own (compare) cannot.
    throw new ServiceError('reference-server', target.host,
      `cannot start the reference server: the one perf-lab started at ${own.url} (pid ${own.pid}, e.g. by \`perf-lab serve\`) ` +
        'holds that port, and this job starts servers of its own — stop it (Ctrl-C where `perf-lab serve` runs, or `perf-lab down`) and run again');
  }
  const ports = await instancePorts(target.hostname, Number(target.port || 80), count);
  // Each instance's coupon consumer needs a partition of its own to have work; never fewer than the default.
  const partitions = Math.max(count, DEFAULT_COUPON_PARTITIONS);
  const common: ServerSettings = count > 1 ? { [SERVER_ENV.kafkaPartitions]: String(partitions), ...settings } : settings;
  const logFile = referenceServerProcess(config, options.logFile).logFile;
  const instances = ports.map((port, i): InstanceLaunch => ({
    index: i + 1, url: i === 0 ? config.targetUrl : instanceUrl(config.targetUrl, port),
    logFile: instanceFileName(logFile, i + 1), settings: { ...common, ...options.instanceSettings?.(i + 1) },
  }));
  const launch: ServerLaunch = { url: config.targetUrl, settings: common, logFile, ownerPid: options.ownerPid ?? process.pid, instances };
  mkdirSync(path.dirname(launchFile(config)), { recursive: true });
  writeJson(launchFile(config), launch);
  const timeoutMs = options.timeoutMs ?? config.startTimeoutMs;
  const pids: number[] = [];
  try {
    // The first alone: it migrates and sizes the topic, which the others then find done.
    pids.push(await launchServer(config, launch, instances[0]!, timeoutMs));
    pids.push(...await Promise.all(instances.slice(1).map((instance) => launchServer(config, launch, instance, timeoutMs))));
  } catch (err) {
    await stopReferenceServer(config);
    throw err;
  }
  return {
    url: launch.url, pid: pids[0]!, logFile, urls: instances.map((i) => i.url), pids,
    stop: async () => void (await stopReferenceServer(config)),
  };
}

async function launchServer(config: PerfLabConfig, launch: ServerLaunch, instance: InstanceLaunch, timeoutMs: number): Promise<number> {
  const dir = referenceServerDir();
  const proc = referenceServerProcess(config, instance.logFile, instance.index);
  const ownerWatch = fileURLToPath(new URL('./owner-watch.ts', import.meta.url));
  // The log is appended across starts (users tail one file); an error shows only this
  // process's lines, from the offset where it began.
  const logOffset = fileSize(instance.logFile);
  const pid = spawnManaged(proc, {
    command: process.execPath,
    args: ['--import', tsxLoader(), '--import', ownerWatch, proc.marker],
    cwd: dir, env: { ...serverEnv(config, instance.settings, instance.url), PERF_LAB_SERVER_OWNER_PID: String(launch.ownerPid) },
  });
  const wait = await waitForHealth(instance.url, timeoutMs, () => runningPid(proc) !== pid);
  if (wait.healthy) {
    if (instance.index === 1) recordStartedServer(config, pid, launch.settings);
    return pid;
  }
  await stopManaged(proc, 20_000);
  throw new ServiceError('reference-server', instance.url, startFailureMessage({
    pid, url: instance.url, timeoutMs, wait, exited: undefined, logFile: instance.logFile, ownLog: tailFile(instance.logFile, 20, logOffset),
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

/** The server perf-lab started under this state folder (instance 1), if it is still running. */
export function managedServer(config: PerfLabConfig): { pid: number; url: string } | undefined {
  const found = readLaunch(config);
  if (!found) return undefined;
  const pid = runningPid(referenceServerProcess(config, found.launch.logFile));
  return pid === undefined ? undefined : { pid, url: found.launch.url };
}

export interface ServerInstance {
  readonly index: number;
  readonly url: string;
  /** undefined while it is not running (killed by a fault, not yet restarted). */
  readonly pid: number | undefined;
}

/** Every instance of the last launch under this state folder, running or not. */
export function managedServerInstances(config: PerfLabConfig): ServerInstance[] {
  return (readLaunch(config)?.instances ?? []).map((i) => ({
    index: i.index, url: i.url, pid: runningPid(referenceServerProcess(config, i.logFile, i.index)),
  }));
}

/**
 * The base URLs a load test against the target spreads its VUs over: every instance perf-lab
 * started there, or the target alone (a server perf-lab did not start, or a single one).
 */
export function targetBaseUrls(config: PerfLabConfig): string[] {
  const instances = managedServerInstances(config);
  return instances[0]?.url === config.targetUrl && instances[0].pid !== undefined ? instances.map((i) => i.url) : [config.targetUrl];
}

/** Starts instance `index` again exactly as it was launched last (after a fault killed it). */
export async function restartReferenceServer(config: PerfLabConfig, timeoutMs = config.startTimeoutMs, index = 1): Promise<number> {
  const found = readLaunch(config);
  const instance = found?.instances.find((i) => i.index === index);
  if (!found || !instance) throw new PerfLabError(ErrorKind.environment, `no reference server instance ${index} was started under this state folder`);
  return launchServer(config, found.launch, instance, timeoutMs);
}

/** SIGTERM every instance (each drains), SIGKILL after 20 s; a no-op when perf-lab started none. */
export async function stopReferenceServer(config: PerfLabConfig): Promise<StopOutcome> {
  const pid = runningPid(referenceServerProcess(config));
  const found = readLaunch(config);
  const procs = found ? found.instances.map((i) => referenceServerProcess(config, i.logFile, i.index)) : [referenceServerProcess(config)];
  const outcomes = await Promise.all(procs.map((proc) => stopManaged(proc, 20_000)));
  if (pid !== undefined) forgetStartedServer(config, pid);
  return outcomes.includes('killed') ? 'killed' : outcomes.includes('stopped') ? 'stopped' : 'not-running';
}
