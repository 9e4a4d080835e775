import {
  COUPON_CONSUMER_GROUP,
  DEFAULT_COUPON_PARTITIONS,
  COUPON_STRATEGY_NAMES,
  DEFAULT_ADDRESSES,
  DEFAULT_COUPON_STRATEGY,
  DEFAULT_LOCK_SCOPE,
  DEFAULT_MYSQL_POOL,
  LOCK_SCOPES,
  ORDER_EVENTS_TOPIC,
  SERVER_ENV,
} from '@perf-lab/contract';
import type { CouponStrategy, LockScope } from '@perf-lab/contract';
import { boolean, brokers, deepFreeze, integer, nonEmpty, oneOf, topicName, url } from './config-parsers.ts';
import type { Fail } from './config-parsers.ts';

/**
 * The reference server's one configuration object: defaults < environment < explicit
 * overrides (what `start`/tests pass). Keys are flat so each has exactly one env name; the
 * result is validated and frozen, and nothing else in the server reads process.env. The
 * three service addresses share perf-lab's env names and defaults so one shell setup drives
 * both the load generator and the system under test.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type { CouponStrategy, LockScope };

/** The server's env variables by config key: perf-lab sets them by the same names. */
export const ENV_NAMES = SERVER_ENV;

export type ConfigKey = keyof typeof ENV_NAMES;
export type ConfigOverrides = { [K in ConfigKey]?: string | number | boolean | readonly string[] };

const DEFAULTS: Record<ConfigKey, string | number | boolean> = {
  host: DEFAULT_ADDRESSES.serverHost,
  port: DEFAULT_ADDRESSES.serverPort,
  // Quiet by default: a load test should measure the server, not its log volume.
  logLevel: 'warn',
  mysqlUrl: DEFAULT_ADDRESSES.mysqlUrl,
  mysqlPool: DEFAULT_MYSQL_POOL,
  redisUrl: DEFAULT_ADDRESSES.redisUrl,
  redisKeyPrefix: '',
  kafkaBrokers: DEFAULT_ADDRESSES.kafkaBrokers,
  kafkaTopicPrefix: '',
  kafkaSendTimeoutMs: 5000,
  // Explicit, so the count does not depend on the broker's auto-create default; perf-lab sets
  // it to the number of server instances when that is larger, one partition per consumer.
  kafkaPartitions: DEFAULT_COUPON_PARTITIONS,
  consumerGroup: COUPON_CONSUMER_GROUP,
  consumerEnabled: true,
  couponStrategy: DEFAULT_COUPON_STRATEGY,
  migrateOnStart: true,
  lockScope: DEFAULT_LOCK_SCOPE,
  // Redisson's watchdog keeps a 30 s lease; ours is shorter because it is renewed at a third
  // of its length anyway, and a crashed process should not block its users for half a minute.
  lockLeaseMs: 10_000,
  // Long enough to queue behind a few orders of the same user (or, in `global` scope, behind
  // a burst of everyone's), short enough that a client sees a clear 409 rather than a timeout.
  lockWaitMs: 5_000,
  txRetries: 2,
  outboxTopic: ORDER_EVENTS_TOPIC,
  // The relay drains everything pending on each tick; the interval only bounds idle latency.
  outboxIntervalMs: 200,
  outboxBatchSize: 200,
  outboxRelay: true,
  // A reservation whose request has not been settled after 5 s is re-sent: long enough that
  // a healthy consumer (100 ms fetch wait) has settled it, short enough to recover in seconds.
  reservationTimeoutMs: 5_000,
  sweepIntervalMs: 1_000,
  // Kafka evicts a member that died (kill -9) only after its session timeout; the group
  // cannot rebalance onto a restarted server before that. 10 s (kafkajs: 30 s) bounds the
  // pause in consumption after a crash; heartbeats go every 3 s and between slices.
  consumerSessionTimeoutMs: 10_000,
  // Slow clients: the whole head within 5 s, the whole request (body included) within 10 s,
  // an idle keep-alive connection closed after 5 s. Shutdown gives in-flight work 10 s.
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  shutdownTimeoutMs: 10_000,
  // Tests only (0: off): an order holder stalls this long after taking its lock, its watchdog
  // stalled with it, as a process in a long GC pause or SIGSTOP would — so a test can show the
  // fencing token refusing the stale holder's write once another instance took the lock.
  testHolderPauseMs: 0,
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
    /** The coupon topic has at least this many partitions (created or increased at start). */
    readonly partitions: number;
    readonly consumerGroup: string;
    readonly consumerEnabled: boolean;
    readonly consumerSessionTimeoutMs: number;
  };
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly shutdownTimeoutMs: number;
  };
  readonly coupon: {
    /** A pending reservation older than this is presumed to have lost its message and re-sent. */
    readonly reservationTimeoutMs: number;
    readonly sweepIntervalMs: number;
  };
  readonly couponStrategy: CouponStrategy;
  readonly migrateOnStart: boolean;
  readonly order: OrderConfig;
}

export interface OrderConfig {
  readonly lockScope: LockScope;
  /** How long a lock lives without renewal; a crashed holder blocks its user at most this long. */
  readonly lockLeaseMs: number;
  /** How long an order waits for its lock before answering 409 LOCK_TIMEOUT. */
  readonly lockWaitMs: number;
  /** Extra attempts for a transaction that MySQL aborted (deadlock 1213, lock wait 1205). */
  readonly txRetries: number;
  /** Without the app's topic prefix (REF_KAFKA_TOPIC_PREFIX), which is prepended. */
  readonly outboxTopic: string;
  readonly outboxIntervalMs: number;
  readonly outboxBatchSize: number;
  /** Run the outbox relay in this process; tests that drive relays themselves turn it off. */
  readonly outboxRelay: boolean;
  /** Tests only: see DEFAULTS.testHolderPauseMs. */
  readonly testHolderPauseMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

export function loadConfig(overrides: ConfigOverrides = {}, env: EnvSource = process.env): AppConfig {
  const raw: Record<string, unknown> = { ...DEFAULTS };
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const fail: Fail = (key, value, expected) => {
    throw new ConfigError(`invalid ${ENV_NAMES[key as ConfigKey]} (${key}) = ${JSON.stringify(value)}: expected ${expected}`);
  };
  const v = <K extends ConfigKey>(key: K): [K, unknown, Fail] => [key, raw[key], fail];
  return deepFreeze({
    host: nonEmpty(...v('host')),
    port: integer(...v('port'), 0, 65535),
    logLevel: oneOf(...v('logLevel'), LOG_LEVELS),
    mysql: { url: url(...v('mysqlUrl'), ['mysql:']), poolSize: integer(...v('mysqlPool'), 1, 1000) },
    redis: { url: url(...v('redisUrl'), ['redis:', 'rediss:']), keyPrefix: String(raw.redisKeyPrefix) },
    kafka: {
      brokers: brokers(...v('kafkaBrokers')),
      topicPrefix: String(raw.kafkaTopicPrefix),
      sendTimeoutMs: integer(...v('kafkaSendTimeoutMs'), 100, 120_000),
      partitions: integer(...v('kafkaPartitions'), 1, 64),
      consumerGroup: nonEmpty(...v('consumerGroup')),
      consumerEnabled: boolean(...v('consumerEnabled')),
      consumerSessionTimeoutMs: integer(...v('consumerSessionTimeoutMs'), 6_000, 300_000),
    },
    http: {
      headersTimeoutMs: integer(...v('headersTimeoutMs'), 100, 600_000),
      requestTimeoutMs: integer(...v('requestTimeoutMs'), 100, 600_000),
      keepAliveTimeoutMs: integer(...v('keepAliveTimeoutMs'), 100, 600_000),
      shutdownTimeoutMs: integer(...v('shutdownTimeoutMs'), 100, 600_000),
    },
    coupon: {
      reservationTimeoutMs: integer(...v('reservationTimeoutMs'), 100, 3_600_000),
      sweepIntervalMs: integer(...v('sweepIntervalMs'), 50, 600_000),
    },
    couponStrategy: oneOf(...v('couponStrategy'), COUPON_STRATEGY_NAMES),
    migrateOnStart: boolean(...v('migrateOnStart')),
    order: {
      lockScope: oneOf(...v('lockScope'), LOCK_SCOPES),
      lockLeaseMs: integer(...v('lockLeaseMs'), 100, 600_000),
      lockWaitMs: integer(...v('lockWaitMs'), 0, 600_000),
      txRetries: integer(...v('txRetries'), 0, 10),
      outboxTopic: topicName(...v('outboxTopic')),
      outboxIntervalMs: integer(...v('outboxIntervalMs'), 10, 600_000),
      outboxBatchSize: integer(...v('outboxBatchSize'), 1, 10_000),
      outboxRelay: boolean(...v('outboxRelay')),
      testHolderPauseMs: integer(...v('testHolderPauseMs'), 0, 60_000),
    },
  });
}
