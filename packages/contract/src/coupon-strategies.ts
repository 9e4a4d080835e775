/**
 * The reference server's coupon strategies and, for each, the facts the audit needs: which
 * coupon state it keeps in Redis (so the Redis invariants apply only where there is state to
 * check), where it records who holds a coupon, and whether it claims to be correct at all.
 * Adding a strategy means adding a row here and its implementation in the server, nothing else.
 */
import { TABLES } from './tables.ts';

/** The pieces of coupon state a strategy may keep in Redis (key shapes in redis-keys.ts). */
export const COUPON_REDIS_STATE = ['issued-set', 'stock-counter', 'sold-out-flag'] as const;
export type CouponRedisState = (typeof COUPON_REDIS_STATE)[number];

export interface CouponStrategyFacts {
  readonly describe: string;
  /** Redis state the strategy keeps in step with MySQL; empty when it issues through MySQL alone. */
  readonly redisState: readonly CouponRedisState[];
  /** The table whose rows say "user U holds coupon C". */
  readonly holdingsTable: string;
  /**
   * False for a strategy that is broken on purpose: the audit still checks it, and a
   * violation is the expected demonstration rather than a regression.
   */
  readonly claimsCorrectness: boolean;
}

/** The strategies' names, spelled here only: the server's registry and this table key by them. */
export const COUPON_STRATEGY = { redisKafka: 'redis-kafka', dbOnly: 'db-only', naive: 'naive' } as const;

export const COUPON_STRATEGIES = {
  [COUPON_STRATEGY.redisKafka]: {
    describe: 'Redis reserves (dedupe set, stock counter, sold-out flag), Kafka carries the request, a consumer writes MySQL in batches',
    redisState: ['issued-set', 'stock-counter', 'sold-out-flag'],
    holdingsTable: TABLES.userCoupons,
    claimsCorrectness: true,
  },
  [COUPON_STRATEGY.dbOnly]: {
    describe: 'a conditional UPDATE and the INSERT in one MySQL transaction inside the request',
    redisState: [],
    holdingsTable: TABLES.userCoupons,
    claimsCorrectness: true,
  },
  [COUPON_STRATEGY.naive]: {
    describe: 'deliberately broken check-then-act with no lock and no unique key',
    redisState: [],
    holdingsTable: TABLES.naiveUserCoupons,
    claimsCorrectness: false,
  },
} as const satisfies Readonly<Record<string, CouponStrategyFacts>>;

export type CouponStrategy = keyof typeof COUPON_STRATEGIES;
export const COUPON_STRATEGY_NAMES = Object.keys(COUPON_STRATEGIES) as readonly CouponStrategy[];
export const DEFAULT_COUPON_STRATEGY: CouponStrategy = COUPON_STRATEGY.redisKafka;

/** A table of strategies shaped like COUPON_STRATEGIES (what code that selects by strategy takes). */
export type CouponStrategyTable = Readonly<Record<string, CouponStrategyFacts>>;

export function isCouponStrategy(name: string): name is CouponStrategy {
  // Not Object.hasOwn: this file is bundled into k6 scripts (ES2020).
  return Object.prototype.hasOwnProperty.call(COUPON_STRATEGIES, name);
}

/** Every table any strategy records holdings in, each once. */
export function holdingsTables(strategies: CouponStrategyTable = COUPON_STRATEGIES): readonly string[] {
  return [...new Set(Object.values(strategies).map((s) => s.holdingsTable))];
}
