import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LAB_ENV } from '@perf-lab/contract';
import { SERVICE_NAMES, type PerfLabConfig, type ServiceName } from '../config/config.ts';
import { ENV_NAMES } from '../config/config-input.ts';
import { ConfigError, ServiceError, errorMessage } from '../errors.ts';
import { isManaged, labDriver, labDrivers, OPTIONAL_SERVICE_NAMES, optionalDrivers, type LabServiceName, type OptionalServiceName } from './lab-services.ts';
import { delay, runningPid, spawnManaged, stopManaged, tailFile, type StopOutcome } from './managed-process.ts';
import { stopReferenceServer } from '../server/reference-server.ts';
import { portInUse } from './port-check.ts';
import { manifestPath } from '../seed/seed-manifest.ts';
import type { ServiceDriver } from './service-driver.ts';

export interface ServiceStatus {
  readonly name: LabServiceName;
  readonly ok: boolean;
  readonly address: string;
  readonly version: string | null;
  /** managed: perf-lab starts and stops it; external: the user's own server, only probed. */
  readonly mode: 'managed' | 'external';
  readonly pid: number | null;
  readonly error: string | null;
}

export interface UpEvent {
  readonly service: LabServiceName;
  readonly action: 'already-running' | 'started' | 'external-ok';
  readonly address: string;
  readonly version: string;
  readonly seconds: number;
}

export interface UpOptions {
  readonly onEvent?: (event: UpEvent) => void;
  /** Only these services (a fault restarting the one it killed); default all. */
  readonly only?: readonly ServiceName[];
  /** Optional services to start as well (`--with prometheus`); none by default. */
  readonly with?: readonly OptionalServiceName[];
}

const PROBE_TIMEOUT_MS = 2000;
const LOG_LINES_IN_ERRORS = 15;

/** Starts every managed service that is not already serving; probes the external ones. */
export async function labUp(config: PerfLabConfig, options: UpOptions = {}): Promise<UpEvent[]> {
  const core = labDrivers(config).filter((d) => !options.only || options.only.includes(d.name as ServiceName));
  const drivers = [...core, ...optionalDrivers(config, options.with ?? [])];
  const results = await Promise.allSettled(drivers.map((d) => upOne(config, d, options)));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const first = failures[0];
    const text = failures.map((f) => errorMessage(f)).join('\n\n');
    throw first instanceof ServiceError ? new ServiceError(first.service, first.address, text) : new Error(text);
  }
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

async function upOne(config: PerfLabConfig, driver: ServiceDriver, options: UpOptions): Promise<UpEvent> {
  const started = performance.now();
  const event = (action: UpEvent['action'], version: string): UpEvent => {
    const e = { service: driver.name, action, address: driver.address, version, seconds: (performance.now() - started) / 1000 };
    options.onEvent?.(e);
    return e;
  };
  if (!isManaged(config, driver.name)) {
    return event('external-ok', await probeOrExplain(driver, 'external'));
  }
  if (runningPid(driver.process) !== undefined) {
    // Checked before the probe: an old server refuses the new credentials, which would read as "does not answer".
    const stale = await driver.staleSetup?.(PROBE_TIMEOUT_MS);
    if (stale) {
      throw new ServiceError(driver.name, driver.address,
        `${driver.name} at ${driver.address} was started by an older perf-lab without least privilege (${stale}) — ` +
          'run `perf-lab down && perf-lab up` to restart it with the new settings (its data is kept and its users are migrated), ' +
          'or `perf-lab down --wipe` to start from scratch');
    }
    return event('already-running', await probeOrExplain(driver, 'managed'));
  }
  const missing = driver.missingInstall();
  if (missing) throw new ServiceError(driver.name, driver.address, `${driver.name}: ${missing}`);
  for (const port of portsOf(config, driver.name)) {
    const host = driver.address.slice(0, driver.address.lastIndexOf(':'));
    if (await portInUse(host === 'localhost' ? '127.0.0.1' : host, port)) {
      throw new ServiceError(
        driver.name, `${host}:${port}`,
        `${driver.name}: port ${port} on ${host} is already in use by a process perf-lab did not start — ` +
          `stop it, or choose another port (e.g. ${envHint(driver.name)}), or use that server as an external one`,
      );
    }
  }
  await driver.prepare();
  const pid = spawnManaged(driver.process, driver.spawnSpec());
  const deadline = Date.now() + config.startTimeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (runningPid(driver.process) !== pid) {
      throw new ServiceError(driver.name, driver.address,
        `${driver.name} exited during start-up (address ${driver.address}); last lines of ${driver.process.logFile}:\n` +
          tailFile(driver.process.logFile, LOG_LINES_IN_ERRORS));
    }
    try {
      return event('started', await driver.ready(PROBE_TIMEOUT_MS));
    } catch (err) {
      lastError = err;
      await delay(200);
    }
  }
  throw new ServiceError(driver.name, driver.address,
    `${driver.name} did not answer at ${driver.address} within ${config.startTimeoutMs / 1000}s ` +
      `(last error: ${errorMessage(lastError)}); last lines of ${driver.process.logFile}:\n` +
      tailFile(driver.process.logFile, LOG_LINES_IN_ERRORS));
}

async function probeOrExplain(driver: ServiceDriver, mode: ServiceStatus['mode']): Promise<string> {
  try {
    return await driver.probe(PROBE_TIMEOUT_MS);
  } catch (err) {
    const hint = mode === 'external'
      // Setting an address is what makes a service external: a user who only meant to move the
      // lab to other ports needs to hear that, not just "is it up?".
      ? `check the address (${envHint(driver.name)}) and that the server is up; setting that address makes ${driver.name} an ` +
        `external service perf-lab does not start — to have perf-lab run it on that port, also set ${ENV_NAMES.manage} (e.g. ${ENV_NAMES.manage}=mysql,redis,kafka)`
      : `it has a pid but does not answer; see \`perf-lab logs ${driver.name}\` or restart with \`perf-lab down && perf-lab up\``;
    throw new ServiceError(driver.name, driver.address,
      `cannot reach ${driver.name} at ${driver.address} (${errorMessage(err)}) — ${hint}`, { cause: err });
  }
}

function portsOf(config: PerfLabConfig, name: LabServiceName): number[] {
  if (name === 'prometheus') return [config.prometheus.port];
  if (name === 'mysql') return [config.mysql.port];
  if (name === 'redis') return [config.redis.port];
  return [config.kafka.port, config.kafka.controllerPort];
}

function envHint(name: LabServiceName): string {
  if (name === 'prometheus') return 'PERF_LAB_PROMETHEUS_PORT';
  return name === 'mysql' ? LAB_ENV.mysqlUrl : name === 'redis' ? LAB_ENV.redisUrl : LAB_ENV.kafkaBrokers;
}

export interface DownResult {
  readonly service: LabServiceName | 'reference-server';
  readonly outcome: StopOutcome | 'external';
}

/**
 * Stops only what perf-lab started (pid files): first a reference server it started (which
 * needs the services to drain), then the services; `wipe` also deletes their data.
 */
export async function labDown(
  config: PerfLabConfig,
  options: { wipe?: boolean; only?: readonly ServiceName[] } = {},
): Promise<DownResult[]> {
  const serverOutcome = options.only ? 'not-running' : await stopReferenceServer(config);
  // Listed only when there was one: most labs never start a server of their own.
  const server: DownResult[] = serverOutcome === 'not-running' ? [] : [{ service: 'reference-server', outcome: serverOutcome }];
  const drivers = labDrivers(config).filter((d) => !options.only || options.only.includes(d.name as ServiceName));
  // Optional services are listed only when they were running (or their data is wiped).
  const optional = options.only ? [] : optionalDrivers(config).filter((d) => options.wipe || runningPid(d.process) !== undefined);
  return [...server, ...await Promise.all(
    [...drivers, ...optional].map(async (driver): Promise<DownResult> => {
      if (!isManaged(config, driver.name)) return { service: driver.name, outcome: 'external' };
      // Kafka flushes and writes a clean-shutdown marker; give it longer than the others.
      const outcome = await stopManaged(driver.process, driver.name === 'kafka' ? 20_000 : 10_000);
      if (options.wipe) wipeData(path.join(config.stateDir, driver.name), driver.installed ?? []);
      // The manifest describes data that no longer exists: an audit against it would judge an empty database.
      if (options.wipe && driver.name === 'mysql') rmSync(manifestPath(config.stateDir), { force: true });
      return { service: driver.name, outcome };
    }),
  )];
}

export async function labStatus(config: PerfLabConfig): Promise<ServiceStatus[]> {
  const optional = optionalDrivers(config).filter((d) => runningPid(d.process) !== undefined);
  return Promise.all(
    [...labDrivers(config), ...optional].map(async (driver): Promise<ServiceStatus> => {
      const mode = isManaged(config, driver.name) ? 'managed' : 'external';
      const pid = mode === 'managed' ? runningPid(driver.process) ?? null : null;
      const base = { name: driver.name, address: driver.address, mode, pid } as const;
      if (mode === 'managed' && pid === null) return { ...base, ok: false, version: null, error: 'not running' };
      try {
        return { ...base, ok: true, version: await driver.probe(PROBE_TIMEOUT_MS), error: null };
      } catch (err) {
        return { ...base, ok: false, version: null, error: errorMessage(err) };
      }
    }),
  );
}

export function labLogs(config: PerfLabConfig, service: string, lines: number): string {
  const names: readonly string[] = [...SERVICE_NAMES, ...OPTIONAL_SERVICE_NAMES];
  if (!names.includes(service)) {
    throw new ConfigError(`unknown service "${service}" — choose one of ${names.join(', ')}`);
  }
  const driver = labDriver(config, service as LabServiceName);
  if (!isManaged(config, driver.name)) {
    throw new ConfigError(`${service} at ${driver.address} is an external service; perf-lab keeps no log for it`);
  }
  return tailFile(driver.process.logFile, lines);
}

/** Deletes a service's state folder but what setup.sh installed in it. */
function wipeData(dir: string, installed: readonly string[]): void {
  // The folder itself goes where it can: its owner and mode are set up anew on the next start
  // (MariaDB's is handed to the mysql user only when it is created).
  if (installed.length === 0) return rmSync(dir, { recursive: true, force: true });
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (!installed.includes(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}
