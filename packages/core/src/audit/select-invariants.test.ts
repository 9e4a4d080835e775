import { describe, expect, it } from 'vitest';
import { COUPON_REDIS_STATE, COUPON_STRATEGIES, TABLES, type CouponStrategyFacts, type CouponStrategyTable } from '@perf-lab/contract';
import { INVARIANTS } from './invariants/all.ts';
import { couponStrategyFacts, selectInvariants } from './select-invariants.ts';

const REDIS_SET = 'coupon.redis-set-matches-db';
const REDIS_STOCK = 'coupon.redis-stock-matches-db';

function skippedOf(strategy: CouponStrategyFacts): Map<string, string | undefined> {
  return new Map(selectInvariants(INVARIANTS, strategy).map((s) => [s.invariant.name, s.skipped]));
}

// A contract as it would be once someone adds strategies core has never seen: the audit must
// follow their declarations with no change to core.
const THROWAWAY: CouponStrategyTable = {
  ...COUPON_STRATEGIES,
  'stock-only-throwaway': {
    describe: 'a counter in Redis, dedupe by the unique key alone', redisState: ['stock-counter', 'sold-out-flag'],
    holdingsTable: TABLES.userCoupons, claimsCorrectness: true,
  },
  'set-only-throwaway': {
    describe: 'a dedupe set in Redis, stock in MySQL', redisState: ['issued-set'],
    holdingsTable: TABLES.userCoupons, claimsCorrectness: true,
  },
  'mysql-only-throwaway': {
    describe: 'MySQL alone', redisState: [], holdingsTable: TABLES.userCoupons, claimsCorrectness: true,
  },
};

describe('the audit picks invariants by the contract\'s strategy facts', () => {
  it('checks each Redis invariant only for a strategy that declares the state it reads', () => {
    const stockOnly = skippedOf(couponStrategyFacts('stock-only-throwaway', THROWAWAY));
    expect(stockOnly.get(REDIS_STOCK)).toBeUndefined();
    expect(stockOnly.get(REDIS_SET)).toBe('the coupon strategy keeps no issued-set in Redis');

    const setOnly = skippedOf(couponStrategyFacts('set-only-throwaway', THROWAWAY));
    expect(setOnly.get(REDIS_SET)).toBeUndefined();
    expect(setOnly.get(REDIS_STOCK)).toBe('the coupon strategy keeps no stock-counter or sold-out-flag in Redis');

    const mysqlOnly = skippedOf(couponStrategyFacts('mysql-only-throwaway', THROWAWAY));
    expect(mysqlOnly.get(REDIS_SET)).toBe('the coupon strategy keeps no Redis state');
    expect(mysqlOnly.get(REDIS_STOCK)).toBe('the coupon strategy keeps no Redis state');
  });

  it('never skips an invariant that reads no Redis state, whatever the strategy', () => {
    const redisFree = INVARIANTS.filter((i) => (i.needsCouponRedis ?? []).length === 0).map((i) => i.name);
    expect(redisFree.length).toBeGreaterThan(0);
    for (const name of Object.keys(THROWAWAY)) {
      const skipped = skippedOf(couponStrategyFacts(name, THROWAWAY));
      for (const inv of redisFree) expect(skipped.get(inv)).toBeUndefined();
    }
  });

  it('applies the Redis invariants to the shipped strategies as declared', () => {
    expect(skippedOf(COUPON_STRATEGIES['redis-kafka']).get(REDIS_SET)).toBeUndefined();
    expect(skippedOf(COUPON_STRATEGIES.naive).get(REDIS_STOCK)).toBe('the coupon strategy keeps no Redis state');
    // Every Redis invariant names only state the contract defines.
    for (const inv of INVARIANTS) for (const s of inv.needsCouponRedis ?? []) expect(COUPON_REDIS_STATE).toContain(s);
  });

  it('filters by system and refuses a strategy the contract does not know', () => {
    const order = selectInvariants(INVARIANTS, COUPON_STRATEGIES['redis-kafka'], ['order']);
    expect(order.length).toBeGreaterThan(0);
    expect(order.every((s) => s.invariant.system === 'order')).toBe(true);
    expect(couponStrategyFacts(undefined)).toBe(COUPON_STRATEGIES['redis-kafka']);
    expect(() => couponStrategyFacts('stock-only-throwaway')).toThrow(/unknown coupon strategy "stock-only-throwaway".*redis-kafka, db-only, naive/);
  });
});
