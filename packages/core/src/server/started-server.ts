import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVER_ENV, type ServerSettingName } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';

/**
 * What perf-lab started the reference server with, kept in the state folder while it runs:
 * a later `perf-lab run` against the same address records these settings in run.json, so
 * the audit knows, say, that the strategy was db-only and there is no Redis state to check.
 */
export interface StartedServer {
  readonly url: string;
  readonly pid: number;
  readonly settings: Readonly<Record<string, string>>;
  readonly startedAt: string;
  /** Where it keeps its data (serverDataPlaces): a later job may use it only if that is where it looks too. */
  readonly dataPlaces?: Readonly<Record<string, string>>;
}

const file = (config: PerfLabConfig) => path.join(config.stateDir, 'server.json');

export function recordStartedServer(config: PerfLabConfig, pid: number, settings: Readonly<Record<string, string>>): void {
  const record: StartedServer = { url: config.targetUrl, pid, settings, startedAt: new Date().toISOString(), dataPlaces: serverDataPlaces(config) };
  mkdirSync(config.stateDir, { recursive: true });
  writeFileSync(file(config), `${JSON.stringify(record, null, 2)}\n`);
}

export function forgetStartedServer(config: PerfLabConfig, pid: number): void {
  const found = read(config);
  if (found?.pid === pid) rmSync(file(config), { force: true });
}

function read(config: PerfLabConfig): StartedServer | undefined {
  if (!existsSync(file(config))) return undefined;
  try {
    return JSON.parse(readFileSync(file(config), 'utf8')) as StartedServer;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The server perf-lab started at the target, if it is still that process. */
export function startedServer(config: PerfLabConfig): StartedServer | undefined {
  const found = read(config);
  return found && found.url === config.targetUrl && alive(found.pid) ? found : undefined;
}

/** The settings of the server perf-lab started at the target, if it is still that process. */
export function startedServerSettings(config: PerfLabConfig): Readonly<Record<string, string>> | undefined {
  return startedServer(config)?.settings;
}

const INSTANCES: ServerSettingName = 'instances';
/** Recorded beside the settings, as `cart-index` is: not a setting, where the instances listened. */
export const INSTANCE_URLS = 'instance-urls';

/**
 * How a run records the instances perf-lab started at its target (`serve --instances N`, `lab
 * --set instances=N`): their count under the setting's own name, and their base URLs, instance 1
 * first, comma-separated as the scripts' BASE_URLS.
 */
export function instanceSettings(urls: readonly string[]): Readonly<Record<string, string>> {
  return { [INSTANCES]: String(urls.length), [INSTANCE_URLS]: urls.join(',') };
}

/** The databases, keys and topics a server started with this configuration uses; no credentials. */
export function serverDataPlaces(config: PerfLabConfig): Readonly<Record<string, string>> {
  return {
    mysql: `${config.mysql.host}:${config.mysql.port}/${config.mysql.database}`,
    redis: `${config.redis.host}:${config.redis.port}`,
    'redis key prefix': config.redisKeyPrefix,
    kafka: config.kafka.brokers.join(','),
    'kafka topic prefix': config.kafka.topicPrefix,
    'consumer group': config.kafka.consumerGroup,
  };
}

/**
 * What a server perf-lab did not start says of itself: the reference server's GET /health
 * names its coupon strategy, the one setting the audit's choice of checks depends on. Another
 * system may answer differently or not at all; then nothing is known.
 */
export async function reportedServerSettings(config: PerfLabConfig): Promise<Readonly<Record<string, string>> | undefined> {
  try {
    const res = await fetch(`${config.targetUrl}/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { strategy?: unknown };
    return typeof body.strategy === 'string' && body.strategy !== '' ? { [SERVER_ENV.couponStrategy]: body.strategy } : undefined;
  } catch {
    return undefined;
  }
}
