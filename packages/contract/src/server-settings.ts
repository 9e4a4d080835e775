/**
 * The reference-server knobs perf-lab turns by short name (`--set strategy=naive`,
 * `--a lock=global`): each maps to one of the server's environment variables, except
 * `cart-index`, which is a fact of the database (the seed's 60 ms → 2 ms), and `instances`,
 * how many server processes perf-lab starts (each told the count, so the coupon topic has a
 * partition for every instance's consumer).
 */
import { COUPON_STRATEGY_NAMES, DEFAULT_COUPON_STRATEGY } from './coupon-strategies.ts';
import { SERVER_ENV } from './server-env.ts';

/** `user`: the seed's TO-BE per-user lock; `global`: its AS-IS one lock; `none`: DB guards only. */
export const LOCK_SCOPES = ['user', 'global', 'none'] as const;
export type LockScope = (typeof LOCK_SCOPES)[number];
export const DEFAULT_LOCK_SCOPE: LockScope = 'user';

/** 10, the seed's default pool, so the "10 vs 100 connections" comparison is one setting away. */
export const DEFAULT_MYSQL_POOL = 10;

export const CART_INDEX_STATES = ['on', 'off'] as const;
export type CartIndexState = (typeof CART_INDEX_STATES)[number];

/** Bounded: every instance is a Node process on the same machine as the lab and the load. */
export const MAX_SERVER_INSTANCES = 8;

export interface ServerSettingSpec {
  /** The server's environment variable; absent for a setting perf-lab applies to the database. */
  readonly env?: string;
  readonly values?: readonly string[];
  readonly integer?: boolean;
  /** What the server uses when the setting is not given (absent for a fact of the database). */
  readonly default?: string;
  /** The largest value an integer setting takes. */
  readonly max?: number;
  readonly describe: string;
}

export const SERVER_SETTINGS = {
  strategy: { env: SERVER_ENV.couponStrategy, values: COUPON_STRATEGY_NAMES, default: DEFAULT_COUPON_STRATEGY, describe: 'coupon strategy' },
  pool: { env: SERVER_ENV.mysqlPool, integer: true, default: String(DEFAULT_MYSQL_POOL), describe: 'MySQL pool size' },
  lock: { env: SERVER_ENV.lockScope, values: LOCK_SCOPES, default: DEFAULT_LOCK_SCOPE, describe: 'order lock scope' },
  'cart-index': { values: CART_INDEX_STATES, describe: 'index on cart_items(cart_id)' },
  instances: { integer: true, max: MAX_SERVER_INSTANCES, describe: 'reference-server processes' },
} as const satisfies Readonly<Record<string, ServerSettingSpec>>;
export type ServerSettingName = keyof typeof SERVER_SETTINGS;
export const SERVER_SETTING_NAMES = Object.keys(SERVER_SETTINGS) as readonly ServerSettingName[];
