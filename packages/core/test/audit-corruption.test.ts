import { describe, expect, it } from 'vitest';
import { couponKeys } from '@perf-lab/contract';
import { inv, useAuditFixture } from './audit-fixture.ts';

/**
 * The audit must find what we break on purpose — with the right counts and ids — and pass on
 * the same data left intact (audit-fixture.ts builds it by hand, no server).
 */
describe('audit on data corrupted on purpose', () => {
  const f = useAuditFixture('audit');
  const run = () => f.run();

  it('passes on consistent data', async () => {
    const report = await run();
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(report.operations?.lines).toBe(8);
  });

  it('a duplicate row with the unique key dropped', async () => {
    await f.conn.query('ALTER TABLE user_coupons DROP INDEX uq_user_coupons_user_coupon; INSERT INTO user_coupons (user_id, coupon_id) VALUES (12, 1)');
    const report = await run();
    expect(report.verdict).toBe('violated');
    expect(inv(report, 'coupon.no-duplicate-issuance')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1 user 12 ×2'] });
    expect(inv(report, 'coupon.db-counter-matches-rows')).toMatchObject({ ok: false, examples: ['coupon 1: issued 5, rows 6'] });
    await f.conn.query('DELETE FROM user_coupons WHERE user_id = 12 AND coupon_id = 1 ORDER BY id DESC LIMIT 1; ALTER TABLE user_coupons ADD UNIQUE KEY uq_user_coupons_user_coupon (user_id, coupon_id)');
  });

  it('a negative stock', async () => {
    await f.conn.query('ALTER TABLE products DROP CONSTRAINT chk_products_quantity; UPDATE products SET quantity = -3 WHERE id = 7');
    const report = await run();
    expect(inv(report, 'order.no-negative-stock')).toMatchObject({ ok: false, violations: 1, examples: ['product 7: -3'] });
    expect(inv(report, 'order.stock-conservation')).toMatchObject({ ok: false, violations: 103 });
    await f.conn.query('UPDATE products SET quantity = 100 WHERE id = 7; ALTER TABLE products ADD CONSTRAINT chk_products_quantity CHECK (quantity >= 0)');
  });

  it('a balance changed without a ledger row', async () => {
    await f.conn.query('UPDATE users SET balance = balance + 500 WHERE id = 9');
    const report = await run();
    expect(inv(report, 'order.balance-drift')).toMatchObject({ ok: false, violations: 1, examples: ['user 9: balance 1000500, ledger says 1000000'] });
  });

  it('a Redis counter off by one', async () => {
    await f.redis.decr(couponKeys(f.db.config.redisKeyPrefix, 1).stock);
    const report = await run();
    expect(inv(report, 'coupon.redis-stock-matches-db')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1: Redis stock 4, DB total − issued = 5'] });
    expect(report.invariants.filter((i) => !i.ok).map((i) => i.name)).toEqual(['coupon.redis-stock-matches-db']);
  });

  it('an acknowledged operation deleted', async () => {
    await f.conn.query('DELETE FROM user_coupons WHERE user_id = 14 AND coupon_id = 1; UPDATE coupons SET issued = 4 WHERE id = 1');
    await f.redis.srem(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '14');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '6');
    await f.conn.query("DELETE FROM outbox_events; DELETE FROM balance_history; DELETE FROM payments; DELETE FROM order_items; DELETE FROM orders; UPDATE users SET balance = 1000000 WHERE id = 1; UPDATE products SET quantity = 100");
    const report = await run();
    expect(inv(report, 'coupon.acknowledged-persisted')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1 user 14'] });
    expect(inv(report, 'order.acknowledged-persisted')).toMatchObject({ ok: false, violations: 1, examples: ['order 1 (user 1): missing'] });
    expect(report.invariants.filter((i) => !i.ok)).toHaveLength(2);
  });

  it('a refused request that took effect anyway', async () => {
    await f.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (16, 1); UPDATE coupons SET issued = 6 WHERE id = 1');
    await f.redis.sadd(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '16');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '4');
    const report = await run();
    expect(inv(report, 'coupon.no-unacknowledged-issue')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1 user 16: holds it after COUPON_SOLD_OUT'] });
  });

  it('is unknown, not ok, while the outbox has not drained', async () => {
    await f.conn.query("UPDATE outbox_events SET sent_at = NULL");
    const report = await run();
    expect(report.verdict).toBe('unknown');
    expect(report.drain).toMatchObject({ drained: false, outboxPending: 1 });
  });
});
