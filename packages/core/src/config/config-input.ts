import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAB_ENV } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';

/**
 * The layers the user sets: perf-lab.config.* and the environment. Keys are flat so each has
 * exactly one env name and one flag; outside config/ nothing in the library reads process.env.
 */
export interface ConfigInput {
  stateDir?: string;
  mysqlUrl?: string;
  redisUrl?: string;
  /** Prefix of every Redis key perf-lab reads or seeds (and hands to the reference server). */
  redisKeyPrefix?: string;
  kafkaBrokers?: string;
  kafkaControllerPort?: number | string;
  /** Prefix of the topics the audited system uses (the coupon topic is `<prefix>` + the contract's COUPON_ISSUE_TOPIC). */
  kafkaTopicPrefix?: string;
  /** The consumer group whose lag the audit waits to drain. */
  consumerGroup?: string;
  kafkaHome?: string;
  targetUrl?: string;
  startTimeoutSeconds?: number | string;
  /** Port of the Prometheus `perf-lab up --with prometheus` starts on 127.0.0.1 (remote-write receiver). */
  prometheusPort?: number | string;
  /** Services perf-lab starts and stops; the default is every service whose address the user left alone. */
  manage?: string | readonly string[];
  /** The API the bundled scenarios speak (api-contract.ts in @perf-lab/contract); JSON text in the environment. */
  api?: unknown;
  /** Where the audit's concepts live in the user's database (schema-map.ts); config file only. */
  schema?: unknown;
  /** The user's own invariants, SQL returning violating rows (user-invariants.ts); config file only. */
  invariants?: unknown;
  /**
   * Faults every `run`/`lab` job injects, written as the `--fault` flag (`kill-kafka@8s:2s`);
   * `--fault` flags add to them. An array in the file, comma-separated in the environment.
   */
  faults?: string | readonly string[];
}

export const ENV_NAMES: Record<keyof ConfigInput, string> = {
  stateDir: 'PERF_LAB_STATE_DIR',
  mysqlUrl: LAB_ENV.mysqlUrl,
  redisUrl: LAB_ENV.redisUrl,
  redisKeyPrefix: 'PERF_LAB_REDIS_KEY_PREFIX',
  kafkaBrokers: LAB_ENV.kafkaBrokers,
  kafkaControllerPort: 'PERF_LAB_KAFKA_CONTROLLER_PORT',
  kafkaTopicPrefix: 'PERF_LAB_KAFKA_TOPIC_PREFIX',
  consumerGroup: 'PERF_LAB_CONSUMER_GROUP',
  kafkaHome: 'PERF_LAB_KAFKA_HOME',
  targetUrl: 'PERF_LAB_TARGET_URL',
  startTimeoutSeconds: 'PERF_LAB_START_TIMEOUT',
  manage: 'PERF_LAB_MANAGE',
  prometheusPort: 'PERF_LAB_PROMETHEUS_PORT',
  api: 'PERF_LAB_API_CONTRACT',
  schema: 'PERF_LAB_SCHEMA',
  invariants: 'PERF_LAB_INVARIANTS',
  faults: 'PERF_LAB_FAULTS',
};

export const CONFIG_FILES = ['perf-lab.config.json', 'perf-lab.config.mjs', 'perf-lab.config.js', 'perf-lab.config.ts'];

export async function readConfigFile(cwd: string, explicit: string | undefined): Promise<ConfigInput> {
  const file = explicit ? path.resolve(cwd, explicit) : CONFIG_FILES.map((f) => path.join(cwd, f)).find(existsSync);
  if (!file) return {};
  if (!existsSync(file)) throw new ConfigError(`config file ${file} does not exist`);
  try {
    const value: unknown = file.endsWith('.json')
      ? JSON.parse(readFileSync(file, 'utf8'))
      : ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    if (typeof value !== 'object' || value === null) throw new Error('it must export an object');
    const known = new Set(Object.keys(ENV_NAMES));
    const unknown = Object.keys(value).filter((k) => !known.has(k));
    if (unknown.length > 0) throw new Error(`unknown key(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    return dropUndefined(value as ConfigInput);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
}

export function readEnv(env: Readonly<Record<string, string | undefined>>): ConfigInput {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out as ConfigInput;
}

export function dropUndefined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The PATH directories, in order, where perf-lab looks for the service binaries it starts.
 * Read on each call rather than resolved once, so it follows the PATH the process has now.
 */
export function executableSearchPath(env: Readonly<Record<string, string | undefined>> = process.env): readonly string[] {
  return (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
}
