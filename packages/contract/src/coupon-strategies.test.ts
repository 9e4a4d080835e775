import { describe, expect, it } from 'vitest';
import { COUPON_REDIS_STATE, COUPON_STRATEGIES, COUPON_STRATEGY_NAMES, holdingsTables, isCouponStrategy } from './coupon-strategies.ts';
import { SERVER_SETTINGS } from './server-settings.ts';
import { TABLES } from './tables.ts';

describe('coupon strategy facts', () => {
  it('name only real tables and known Redis state', () => {
    const tables: readonly string[] = Object.values(TABLES);
    for (const facts of Object.values(COUPON_STRATEGIES)) {
      expect(tables).toContain(facts.holdingsTable);
      for (const state of facts.redisState) expect(COUPON_REDIS_STATE).toContain(state);
    }
  });

  it('are the values the strategy setting accepts', () => {
    expect(SERVER_SETTINGS.strategy.values).toEqual(COUPON_STRATEGY_NAMES);
    expect(COUPON_STRATEGY_NAMES.every(isCouponStrategy)).toBe(true);
    expect(isCouponStrategy('toString')).toBe(false);
  });

  it('list each holdings table once', () => {
    expect(holdingsTables()).toEqual([TABLES.userCoupons, TABLES.naiveUserCoupons]);
    expect(holdingsTables({ a: { ...COUPON_STRATEGIES.naive }, b: { ...COUPON_STRATEGIES.naive } })).toEqual([TABLES.naiveUserCoupons]);
  });
});
