import { ConfigError } from '../config.ts';

/**
 * The order system's settings, read from one env object with typed parsers that name the
 * key and the value they refused. The MySQL pool size (REF_MYSQL_POOL, the seed's 10 vs
 * 100) and the Redis/Kafka addresses stay in the app's config.ts; this holds only what the
 * order flow, its lock and its outbox relay decide.
 */
export const LOCK_SCOPES = ['user', 'global', 'none'] as const;
/** `user`: the seed's TO-BE `lock:order:user:{id}`; `global`: its AS-IS `order:global`; `none`: DB guards only. */
export type LockScope = (typeof LOCK_SCOPES)[number];

export interface OrderConfig {
  readonly lockScope: LockScope;
  /** How long a lock lives without renewal; a crashed holder blocks its user at most this long. */
  readonly lockLeaseMs: number;
  /** How long an order waits for its lock before answering 409 LOCK_TIMEOUT. */
  readonly lockWaitMs: number;
  /** Extra attempts for a transaction that MySQL aborted (deadlock 1213, lock wait 1205). */
  readonly txRetries: number;
  readonly outboxTopic: string;
  readonly outboxIntervalMs: number;
  readonly outboxBatchSize: number;
}

export const ORDER_ENV_NAMES = {
  lockScope: 'REF_LOCK_SCOPE',
  lockLeaseMs: 'REF_LOCK_LEASE_MS',
  lockWaitMs: 'REF_LOCK_WAIT_MS',
  txRetries: 'REF_ORDER_TX_RETRIES',
  outboxTopic: 'REF_OUTBOX_TOPIC',
  outboxIntervalMs: 'REF_OUTBOX_INTERVAL_MS',
  outboxBatchSize: 'REF_OUTBOX_BATCH_SIZE',
} as const satisfies Record<keyof OrderConfig, string>;

export const ORDER_DEFAULTS: OrderConfig = {
  lockScope: 'user',
  // Redisson's watchdog keeps a 30 s lease; ours is shorter because it is renewed at a third
  // of its length anyway, and a crashed process should not block its users for half a minute.
  lockLeaseMs: 10_000,
  // Long enough to queue behind a few orders of the same user (or, in `global` scope, behind
  // a burst of everyone's), short enough that a client sees a clear 409 rather than a timeout.
  lockWaitMs: 5_000,
  txRetries: 2,
  outboxTopic: 'order-events',
  // The relay drains everything pending on each tick; the interval only bounds idle latency.
  outboxIntervalMs: 200,
  outboxBatchSize: 200,
};

export function loadOrderConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<OrderConfig> = {},
): OrderConfig {
  const read = <K extends keyof OrderConfig>(key: K): string | OrderConfig[K] => {
    if (overrides[key] !== undefined) return overrides[key] as OrderConfig[K];
    const value = env[ORDER_ENV_NAMES[key]];
    return value === undefined || value === '' ? ORDER_DEFAULTS[key] : value;
  };
  const config: OrderConfig = {
    lockScope: oneOf('lockScope', read('lockScope'), LOCK_SCOPES),
    lockLeaseMs: integer('lockLeaseMs', read('lockLeaseMs'), 100, 600_000),
    lockWaitMs: integer('lockWaitMs', read('lockWaitMs'), 0, 600_000),
    txRetries: integer('txRetries', read('txRetries'), 0, 10),
    outboxTopic: topic('outboxTopic', read('outboxTopic')),
    outboxIntervalMs: integer('outboxIntervalMs', read('outboxIntervalMs'), 10, 600_000),
    outboxBatchSize: integer('outboxBatchSize', read('outboxBatchSize'), 1, 10_000),
  };
  return Object.freeze(config);
}

function fail(key: keyof OrderConfig, value: unknown, expected: string): never {
  // The app's ConfigError, so server.ts reports a bad order setting like any other (exit 2).
  throw new ConfigError(`invalid ${ORDER_ENV_NAMES[key]} (${key}) = ${JSON.stringify(value)}: expected ${expected}`);
}

function integer(key: keyof OrderConfig, value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail(key, value, `an integer from ${min} to ${max}`);
  return n;
}

function oneOf<T extends string>(key: keyof OrderConfig, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(key, value, `one of ${allowed.join(' | ')}`);
  return value as T;
}

/** Kafka's own rule for topic names, checked here so a typo fails at start, not at first publish. */
function topic(key: keyof OrderConfig, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(value)) {
    fail(key, value, 'a Kafka topic name (letters, digits, . _ -; at most 249)');
  }
  return value;
}
