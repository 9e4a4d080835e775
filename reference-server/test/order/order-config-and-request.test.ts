import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { couponDiscount, normaliseLines, requestHash } from '../../src/order/order-request.ts';

describe('order config', () => {
  it('defaults, env values, and failures that name the key and the value', () => {
    const order = (env: Record<string, string>) => loadConfig({}, env).order;
    expect(order({})).toMatchObject({ lockScope: 'user', lockLeaseMs: 10_000, txRetries: 2, outboxTopic: 'order-events', outboxRelay: true });
    expect(order({ REF_LOCK_SCOPE: 'global', REF_LOCK_WAIT_MS: '250' })).toMatchObject({ lockScope: 'global', lockWaitMs: 250 });
    expect(() => order({ REF_LOCK_SCOPE: 'users' })).toThrow(ConfigError);
    expect(() => order({ REF_LOCK_SCOPE: 'users' })).toThrow('REF_LOCK_SCOPE (lockScope) = "users"');
    expect(() => order({ REF_LOCK_LEASE_MS: '10s' })).toThrow('REF_LOCK_LEASE_MS');
    expect(() => order({ REF_OUTBOX_TOPIC: 'no spaces' })).toThrow('REF_OUTBOX_TOPIC');
  });
});

describe('order request', () => {
  it('merges repeated products and sorts by id (the lock order)', () => {
    expect(normaliseLines([{ productId: 9, quantity: 1 }, { productId: 2, quantity: 2 }, { productId: 9, quantity: 3 }])).toEqual([
      { productId: 2, quantity: 2 },
      { productId: 9, quantity: 4 },
    ]);
  });

  it('hashes what was ordered, not how the lines were written', () => {
    const base = { userId: 1, couponId: null, idempotencyKey: 'k' };
    const a = requestHash({ ...base, items: [{ productId: 1, quantity: 1 }, { productId: 2, quantity: 1 }] });
    const b = requestHash({ ...base, items: [{ productId: 2, quantity: 1 }, { productId: 1, quantity: 1 }] });
    expect(a).toBe(b);
    expect(requestHash({ ...base, items: null })).not.toBe(a);
    expect(requestHash({ ...base, items: [{ productId: 1, quantity: 2 }, { productId: 2, quantity: 1 }] })).not.toBe(a);
  });

  it('caps a coupon discount at the order total', () => {
    expect(couponDiscount(5_000, 1_000)).toBe(1_000);
    expect(couponDiscount(600, 1_000)).toBe(600);
  });
});
