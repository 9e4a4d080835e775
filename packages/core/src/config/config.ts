import path from 'node:path';
import { ApiContractError, COUPON_CONSUMER_GROUP, DEFAULT_ADDRESSES, parseApiContract, type ApiContract } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';
import { parseFaults } from '../fault/fault-spec.ts';
import { LAB_REDIS_USER, labSecret } from '../lab/lab-secret.ts';
import { dropUndefined, ENV_NAMES, readConfigFile, readEnv, type ConfigInput } from './config-input.ts';
import { parseSchemaMap, type SchemaMap } from './schema-map.ts';
import { parseUserInvariants, type UserInvariant } from './user-invariants.ts';

/**
 * perf-lab's one configuration object, resolved defaults → perf-lab.config.* → environment →
 * flags (the user's layers are read by config-input.ts); the resolved object is frozen and validated.
 */
export const SERVICE_NAMES = ['mysql', 'redis', 'kafka'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const DEFAULTS: Required<Omit<ConfigInput, 'kafkaHome' | 'manage' | 'redisKeyPrefix' | 'kafkaTopicPrefix' | 'api' | 'schema' | 'invariants' | 'faults'>> = {
  stateDir: '.perf-lab',
  // The addresses the reference server assumes too (ports 10000 above each product's usual one).
  mysqlUrl: DEFAULT_ADDRESSES.mysqlUrl,
  redisUrl: DEFAULT_ADDRESSES.redisUrl,
  kafkaBrokers: DEFAULT_ADDRESSES.kafkaBrokers,
  kafkaControllerPort: 19093,
  consumerGroup: COUPON_CONSUMER_GROUP,
  targetUrl: `http://${DEFAULT_ADDRESSES.serverHost}:${DEFAULT_ADDRESSES.serverPort}`,
  startTimeoutSeconds: 60,
  prometheusPort: 19090,
};

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface MysqlConfig extends HostPort {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface PerfLabConfig {
  readonly stateDir: string;
  readonly mysql: MysqlConfig;
  readonly redis: HostPort & { readonly url: string };
  readonly redisKeyPrefix: string;
  readonly kafka: HostPort & {
    readonly brokers: readonly string[];
    readonly controllerPort: number;
    readonly home: string;
    readonly topicPrefix: string;
    readonly consumerGroup: string;
  };
  readonly targetUrl: string;
  readonly startTimeoutMs: number;
  readonly managed: ReadonlySet<ServiceName>;
  /** The optional Prometheus (`perf-lab up --with prometheus`): always perf-lab's own, on loopback. */
  readonly prometheus: HostPort & { readonly url: string; readonly remoteWriteUrl: string };
  /** The API under test; the reference server's unless the user declared theirs. */
  readonly api: ApiContract;
  readonly schema: SchemaMap;
  readonly invariants: readonly UserInvariant[];
  /** The configured faults as written, each valid and together non-overlapping (parseFaults). */
  readonly faults: readonly string[];
}

export interface ResolveOptions {
  /** Where perf-lab.config.* is looked for and relative paths are resolved. */
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  flags?: ConfigInput;
  /** Skip the config file (tests that want exact layers). */
  file?: string | false;
}

export async function resolveConfig(options: ResolveOptions = {}): Promise<PerfLabConfig> {
  const cwd = options.cwd ?? process.cwd();
  const fromFile = options.file === false ? {} : await readConfigFile(cwd, options.file);
  const fromEnv = readEnv(options.env ?? process.env);
  const flags = dropUndefined(options.flags ?? {});
  const userSet: ConfigInput = { ...fromFile, ...fromEnv, ...flags };
  return buildConfig(cwd, { ...DEFAULTS, ...userSet }, userSet);
}

type Resolved = typeof DEFAULTS & ConfigInput;

function buildConfig(cwd: string, input: Resolved, userSet: ConfigInput): PerfLabConfig {
  const stateDir = path.resolve(cwd, String(input.stateDir));
  const mysqlUrl = parseUrl('mysqlUrl', input.mysqlUrl, ['mysql:']);
  const redisUrl = parseUrl('redisUrl', input.redisUrl, ['redis:']);
  const brokers = String(input.kafkaBrokers).split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw invalid('kafkaBrokers', input.kafkaBrokers, 'a comma-separated list of host:port');
  const firstBroker = parseHostPort('kafkaBrokers', brokers[0] ?? '');
  brokers.slice(1).forEach((b) => parseHostPort('kafkaBrokers', b));

  const managed = new Set<ServiceName>();
  if (userSet.manage !== undefined) {
    const names = typeof userSet.manage === 'string' ? userSet.manage.split(',') : [...userSet.manage];
    for (const raw of names.map((n) => n.trim()).filter(Boolean)) {
      if (!(SERVICE_NAMES as readonly string[]).includes(raw)) {
        throw invalid('manage', userSet.manage, `a list of ${SERVICE_NAMES.join(', ')}`);
      }
      managed.add(raw as ServiceName);
    }
  } else {
    if (userSet.mysqlUrl === undefined) managed.add('mysql');
    if (userSet.redisUrl === undefined) managed.add('redis');
    if (userSet.kafkaBrokers === undefined) managed.add('kafka');
  }
  const mysqlHostPort = { host: mysqlUrl.hostname, port: urlPort('mysqlUrl', mysqlUrl, 3306) };
  const redisHostPort = { host: redisUrl.hostname, port: urlPort('redisUrl', redisUrl, 6379) };
  for (const [name, hp] of [['mysql', mysqlHostPort], ['redis', redisHostPort], ['kafka', firstBroker]] as const) {
    if (managed.has(name) && !isLoopback(hp.host)) {
      throw new ConfigError(
        `${name} at ${hp.host}:${hp.port} is managed by perf-lab, which only binds to 127.0.0.1; ` +
          `use a loopback address, or leave ${name} out of PERF_LAB_MANAGE to use it as an external service`,
      );
    }
  }
  const database = decodeURIComponent(mysqlUrl.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw invalid('mysqlUrl', input.mysqlUrl, 'a URL naming a database, e.g. mysql://user:pass@127.0.0.1:13306/perf_lab');

  return Object.freeze({
    stateDir,
    mysql: Object.freeze({
      url: mysqlUrl.toString(),
      ...mysqlHostPort,
      user: decodeURIComponent(mysqlUrl.username) || 'root',
      password: decodeURIComponent(mysqlUrl.password),
      database,
    }),
    redis: Object.freeze({ url: managed.has('redis') ? withLabPassword(redisUrl, stateDir) : redisUrl.toString(), ...redisHostPort }),
    redisKeyPrefix: String(input.redisKeyPrefix ?? ''),
    kafka: Object.freeze({
      brokers: Object.freeze(brokers),
      ...firstBroker,
      controllerPort: parsePort('kafkaControllerPort', input.kafkaControllerPort),
      home: path.resolve(cwd, String(input.kafkaHome ?? path.join(String(input.stateDir), 'kafka'))),
      topicPrefix: String(input.kafkaTopicPrefix ?? ''),
      consumerGroup: String(input.consumerGroup),
    }),
    targetUrl: parseUrl('targetUrl', input.targetUrl, ['http:', 'https:']).toString().replace(/\/$/, ''),
    startTimeoutMs: parsePositive('startTimeoutSeconds', input.startTimeoutSeconds) * 1000,
    managed,
    prometheus: prometheusAddress(parsePort('prometheusPort', input.prometheusPort)),
    api: parseApi(input.api),
    schema: parseSchemaMap(jsonFromEnv('schema', input.schema)),
    invariants: parseUserInvariants(jsonFromEnv('invariants', input.invariants)),
    faults: configuredFaults(input.faults),
  });
}

function prometheusAddress(port: number): PerfLabConfig['prometheus'] {
  const url = `http://127.0.0.1:${port}`;
  return Object.freeze({ host: '127.0.0.1', port, url, remoteWriteUrl: `${url}/api/v1/write` });
}

/** Validated as the flags are (the same errors, exit 2), so a bad entry fails before anything starts. */
function configuredFaults(value: ConfigInput['faults']): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  const texts = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
    throw invalid('faults', value, 'a list of faults like ["kill-kafka@8s:2s", "pause-redis@20s:5s"]');
  }
  const trimmed = texts.map((t) => t.trim()).filter(Boolean);
  try {
    parseFaults(trimmed);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`invalid faults (${ENV_NAMES.faults}): ${err.message}`);
    throw err;
  }
  return Object.freeze(trimmed);
}

/** A structured key given in the environment is JSON text. */
function jsonFromEnv(key: 'api' | 'schema' | 'invariants', value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    throw invalid(key, value, `JSON (${(err as Error).message})`);
  }
}

function parseApi(value: unknown): ApiContract {
  try {
    return parseApiContract(jsonFromEnv('api', value));
  } catch (err) {
    if (err instanceof ApiContractError) throw new ConfigError(`invalid API contract at ${err.message} — fix the \`api\` of perf-lab.config.* (docs/your-own-system.md)`);
    throw err;
  }
}

/**
 * A Redis perf-lab manages requires its per-lab password, so its URL carries it for every
 * client (core, the reference server through PERF_LAB_REDIS_URL, tests). A URL that already
 * names a user or password is the user's choice and kept.
 */
function withLabPassword(url: URL, stateDir: string): string {
  if (url.username !== '' || url.password !== '') return url.toString();
  const withAuth = new URL(url);
  withAuth.username = LAB_REDIS_USER;
  withAuth.password = labSecret(stateDir, 'redis-password');
  return withAuth.toString();
}

function invalid(key: keyof ConfigInput, value: unknown, expected: string): ConfigError {
  return new ConfigError(`invalid ${key} (${ENV_NAMES[key]}): ${JSON.stringify(value)} — expected ${expected}`);
}

function parseUrl(key: keyof ConfigInput, value: unknown, protocols: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalid(key, value, `a URL (${protocols.join(' or ')}//host:port)`);
  }
  if (!protocols.includes(url.protocol)) throw invalid(key, value, `a ${protocols.join(' or ')} URL`);
  return url;
}

function urlPort(key: keyof ConfigInput, url: URL, fallback: number): number {
  return url.port === '' ? fallback : parsePort(key, url.port);
}

function parseHostPort(key: keyof ConfigInput, value: string): HostPort {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
  if (!match?.[1] || !match[2]) throw invalid(key, value, 'host:port');
  return { host: match[1], port: parsePort(key, match[2]) };
}

function parsePort(key: keyof ConfigInput, value: unknown): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(key, value, 'a port between 1 and 65535');
  return port;
}

function parsePositive(key: keyof ConfigInput, value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw invalid(key, value, 'a positive number');
  return n;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
