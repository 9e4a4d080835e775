/**
 * The reference server's one configuration object: defaults < environment < explicit
 * overrides (what `buildApp`/`start` are given). Keys are flat so each has exactly one env
 * name; the result is validated and frozen, and nothing else in the server reads process.env.
 * The three service addresses share perf-lab's env names and defaults so one shell setup
 * drives both the load generator and the system under test.
 */
export const COUPON_STRATEGIES = ['redis-kafka', 'db-only', 'naive'] as const;
export type CouponStrategy = (typeof COUPON_STRATEGIES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ConfigOverrides {
  host?: string;
  port?: number | string;
  logLevel?: string;
  mysqlUrl?: string;
  mysqlPool?: number | string;
  redisUrl?: string;
  redisKeyPrefix?: string;
  kafkaBrokers?: string | readonly string[];
  kafkaTopicPrefix?: string;
  kafkaSendTimeoutMs?: number | string;
  consumerGroup?: string;
  consumerEnabled?: boolean | string;
  couponStrategy?: string;
  migrateOnStart?: boolean | string;
}

export const ENV_NAMES: Record<keyof ConfigOverrides, string> = {
  host: 'REF_HOST',
  port: 'REF_PORT',
  logLevel: 'REF_LOG_LEVEL',
  mysqlUrl: 'PERF_LAB_MYSQL_URL',
  mysqlPool: 'REF_MYSQL_POOL',
  redisUrl: 'PERF_LAB_REDIS_URL',
  redisKeyPrefix: 'REF_REDIS_KEY_PREFIX',
  kafkaBrokers: 'PERF_LAB_KAFKA_BROKERS',
  kafkaTopicPrefix: 'REF_KAFKA_TOPIC_PREFIX',
  kafkaSendTimeoutMs: 'REF_KAFKA_SEND_TIMEOUT_MS',
  consumerGroup: 'REF_CONSUMER_GROUP',
  consumerEnabled: 'REF_CONSUMER_ENABLED',
  couponStrategy: 'REF_COUPON_STRATEGY',
  migrateOnStart: 'REF_MIGRATE_ON_START',
};

const DEFAULTS: Required<ConfigOverrides> = {
  host: '127.0.0.1',
  port: 18080,
  // Quiet by default: a load test should measure the server, not its log volume.
  logLevel: 'warn',
  mysqlUrl: 'mysql://perflab:perflab@127.0.0.1:13306/perf_lab',
  // 10, the seed's default pool, so the "10 vs 100 connections" comparison is one env var away.
  mysqlPool: 10,
  redisUrl: 'redis://127.0.0.1:16379',
  redisKeyPrefix: '',
  kafkaBrokers: '127.0.0.1:19092',
  kafkaTopicPrefix: '',
  kafkaSendTimeoutMs: 5000,
  consumerGroup: 'ref-coupon-issuer',
  consumerEnabled: true,
  couponStrategy: 'redis-kafka',
  migrateOnStart: true,
};

export interface AppConfig {
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly mysql: { readonly url: string; readonly poolSize: number };
  readonly redis: { readonly url: string; readonly keyPrefix: string };
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly topicPrefix: string;
    readonly sendTimeoutMs: number;
    readonly consumerGroup: string;
    readonly consumerEnabled: boolean;
  };
  readonly couponStrategy: CouponStrategy;
  readonly migrateOnStart: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(
  overrides: ConfigOverrides = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): AppConfig {
  const fromEnv: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const explicit = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const raw: Required<ConfigOverrides> = { ...DEFAULTS, ...fromEnv, ...explicit };
  return deepFreeze({
    host: nonEmpty('host', raw.host),
    port: integer('port', raw.port, 0, 65535),
    logLevel: oneOf('logLevel', raw.logLevel, LOG_LEVELS),
    mysql: { url: url('mysqlUrl', raw.mysqlUrl, ['mysql:']), poolSize: integer('mysqlPool', raw.mysqlPool, 1, 1000) },
    redis: { url: url('redisUrl', raw.redisUrl, ['redis:', 'rediss:']), keyPrefix: String(raw.redisKeyPrefix) },
    kafka: {
      brokers: brokers(raw.kafkaBrokers),
      topicPrefix: String(raw.kafkaTopicPrefix),
      sendTimeoutMs: integer('kafkaSendTimeoutMs', raw.kafkaSendTimeoutMs, 100, 120_000),
      consumerGroup: nonEmpty('consumerGroup', raw.consumerGroup),
      consumerEnabled: boolean('consumerEnabled', raw.consumerEnabled),
    },
    couponStrategy: oneOf('couponStrategy', raw.couponStrategy, COUPON_STRATEGIES),
    migrateOnStart: boolean('migrateOnStart', raw.migrateOnStart),
  });
}

function fail(key: keyof ConfigOverrides, value: unknown, expected: string): never {
  throw new ConfigError(`invalid ${ENV_NAMES[key]} (${key}) = ${JSON.stringify(value)}: expected ${expected}`);
}

function nonEmpty(key: keyof ConfigOverrides, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(key, value, 'a non-empty string');
  return value;
}

function integer(key: keyof ConfigOverrides, value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(String(value).trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail(key, value, `an integer from ${min} to ${max}`);
  return n;
}

function boolean(key: keyof ConfigOverrides, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return fail(key, value, 'true or false');
}

function oneOf<T extends string>(key: keyof ConfigOverrides, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(key, value, `one of ${allowed.join(' | ')}`);
  return value as T;
}

function url(key: keyof ConfigOverrides, value: unknown, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(String(value));
  } catch {
    return fail(key, value, `a URL (${protocols.join(' or ')}//…)`);
  }
  if (!protocols.includes(parsed.protocol)) fail(key, value, `a URL starting with ${protocols.join(' or ')}//`);
  return String(value);
}

function brokers(value: string | readonly string[]): readonly string[] {
  const list = (typeof value === 'string' ? value.split(',') : [...value]).map((b) => b.trim()).filter(Boolean);
  if (list.length === 0 || list.some((b) => !/^[^:\s]+:\d{1,5}$/.test(b))) {
    fail('kafkaBrokers', value, 'comma-separated host:port pairs');
  }
  return list;
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(value);
}
