import { describe, expect, it } from 'vitest';
import { couponKeys, orderLockKeys, orderLockReleaseChannel } from './redis-keys.ts';

// The shapes are what the seed documents and what a running server has written: a change here
// strands every key already in Redis, so it must be deliberate.
describe('Redis key shapes', () => {
  it('coupon keys carry the prefix and the coupon id', () => {
    expect(couponKeys('t1:', 7)).toEqual({
      issued: 't1:coupon:issued:7',
      stock: 't1:coupon:stock:7',
      soldOut: 't1:coupon:soldout:7',
      pending: 't1:coupon:pending:7',
    });
  });

  it('order lock keys follow the scope', () => {
    expect(orderLockKeys('p:', 'user', 42)).toEqual({ lock: 'p:lock:order:user:42', fence: 'p:lock:order:user:42:fence' });
    expect(orderLockKeys('p:', 'global', 42)).toEqual({ lock: 'p:lock:order:global', fence: 'p:lock:order:global:fence' });
    expect(orderLockKeys('p:', 'none', 42)).toBeNull();
    expect(orderLockReleaseChannel('p:')).toBe('p:lock:order:released');
  });
});
