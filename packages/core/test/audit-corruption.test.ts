import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { couponKeys } from '@perf-lab/contract';
import { audit, seed, type AuditReport, type SeedResult } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * The audit must find what we break on purpose — with the right counts and ids — and pass on
 * the same data left intact. The state is built by hand (no server): five issued coupons,
 * one paid order, and the operations log a load test would have written.
 */
describe('audit on data corrupted on purpose', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let redis: Redis;
  let runDir: string;
  let seeded: SeedResult;

  const run = () => audit(db.config, { runDir, drainTimeoutMs: 2000 });
  const inv = (report: AuditReport, name: string) => {
    const found = report.invariants.find((i) => i.name === name);
    if (!found) throw new Error(`no invariant ${name}`);
    return found;
  };

  beforeAll(async () => {
    db = await createTestDatabase('audit');
    conn = await mysql.createConnection({ uri: db.config.mysql.url, multipleStatements: true });
    redis = new Redis(db.config.redis.url);
  });
  afterAll(async () => {
    await conn?.end();
    redis?.disconnect();
    await db?.drop();
  });

  beforeEach(async () => {
    seeded = await seed(db.config, { plan: { users: 50, couponStock: 10, orderCouponHolders: 5, products: 10, productStock: 100 } });
    runDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-audit-run-'));
    copyFileSync(seeded.manifestFile, path.join(runDir, 'seed-manifest.json'));
    // Coupon 1: users 11..15 acknowledged and issued; user 16 refused as sold out.
    await conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (11,1),(12,1),(13,1),(14,1),(15,1); UPDATE coupons SET issued = 5 WHERE id = 1');
    const keys = couponKeys(db.config.redisKeyPrefix, 1);
    await redis.sadd(keys.issued, '11', '12', '13', '14', '15');
    await redis.set(keys.stock, '5');
    // One paid order for user 1: products 1 and 4 × 2 at 100 = 400.
    await conn.query(`
      INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, idempotency_key) VALUES (1, 1, 'PAID', 400, 0, 400, 'k-1');
      INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 2, 100), (1, 4, 2, 100);
      INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (1, 1, 400, 'PAID', 'pay-1');
      INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('pay-1', 1, -400, 'PAYMENT', 999600, 1);
      INSERT INTO outbox_events (aggregate_type, aggregate_id, type, payload, sent_at) VALUES ('order', '1', 'OrderPaid', '{}', NOW(3));
      UPDATE users SET balance = balance - 400 WHERE id = 1;
      UPDATE products SET quantity = quantity - 2 WHERE id IN (1, 4);`);
    writeFileSync(path.join(runDir, 'operations.log'), [
      ...[11, 12, 13, 14, 15].map((u) => `perf-lab-op coupon.issue outcome=ack coupon=1 user=${u} status=202 reason=OK`),
      'time="2026-11-25T12:00:00Z" level=info msg="perf-lab-op coupon.issue outcome=fail coupon=1 user=16 status=409 reason=COUPON_SOLD_OUT" source=console',
      'perf-lab-op order.create outcome=ack user=1 status=201 reason=OK order=1 key=k-1',
      'perf-lab-op order.create outcome=fail user=2 status=409 reason=INSUFFICIENT_STOCK key=k-2',
      '',
    ].join('\n'));
  });

  it('passes on consistent data', async () => {
    const report = await run();
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(report.operations?.lines).toBe(8);
  });

  it('a duplicate row with the unique key dropped', async () => {
    await conn.query('ALTER TABLE user_coupons DROP INDEX uq_user_coupons_user_coupon; INSERT INTO user_coupons (user_id, coupon_id) VALUES (12, 1)');
    const report = await run();
    expect(report.verdict).toBe('violated');
    expect(inv(report, 'coupon.no-duplicate-issuance')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1 user 12 ×2'] });
    expect(inv(report, 'coupon.db-counter-matches-rows')).toMatchObject({ ok: false, examples: ['coupon 1: issued 5, rows 6'] });
    await conn.query('DELETE FROM user_coupons WHERE user_id = 12 AND coupon_id = 1 ORDER BY id DESC LIMIT 1; ALTER TABLE user_coupons ADD UNIQUE KEY uq_user_coupons_user_coupon (user_id, coupon_id)');
  });

  it('a negative stock', async () => {
    await conn.query('ALTER TABLE products DROP CONSTRAINT chk_products_quantity; UPDATE products SET quantity = -3 WHERE id = 7');
    const report = await run();
    expect(inv(report, 'order.no-negative-stock')).toMatchObject({ ok: false, violations: 1, examples: ['product 7: -3'] });
    expect(inv(report, 'order.stock-conservation')).toMatchObject({ ok: false, violations: 103 });
    await conn.query('UPDATE products SET quantity = 100 WHERE id = 7; ALTER TABLE products ADD CONSTRAINT chk_products_quantity CHECK (quantity >= 0)');
  });

  it('a balance changed without a ledger row', async () => {
    await conn.query('UPDATE users SET balance = balance + 500 WHERE id = 9');
    const report = await run();
    expect(inv(report, 'order.balance-drift')).toMatchObject({ ok: false, violations: 1, examples: ['user 9: balance 1000500, ledger says 1000000'] });
  });

  it('a Redis counter off by one', async () => {
    await redis.decr(couponKeys(db.config.redisKeyPrefix, 1).stock);
    const report = await run();
    expect(inv(report, 'coupon.redis-stock-matches-db')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1: Redis stock 4, DB total − issued = 5'] });
    expect(report.invariants.filter((i) => !i.ok).map((i) => i.name)).toEqual(['coupon.redis-stock-matches-db']);
  });

  it('an acknowledged operation deleted', async () => {
    await conn.query('DELETE FROM user_coupons WHERE user_id = 14 AND coupon_id = 1; UPDATE coupons SET issued = 4 WHERE id = 1');
    await redis.srem(couponKeys(db.config.redisKeyPrefix, 1).issued, '14');
    await redis.set(couponKeys(db.config.redisKeyPrefix, 1).stock, '6');
    await conn.query("DELETE FROM outbox_events; DELETE FROM balance_history; DELETE FROM payments; DELETE FROM order_items; DELETE FROM orders; UPDATE users SET balance = 1000000 WHERE id = 1; UPDATE products SET quantity = 100");
    const report = await run();
    expect(inv(report, 'coupon.acknowledged-persisted')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1 user 14'] });
    expect(inv(report, 'order.acknowledged-persisted')).toMatchObject({ ok: false, violations: 1, examples: ['order 1 (user 1): missing'] });
    expect(report.invariants.filter((i) => !i.ok)).toHaveLength(2);
  });

  it('a refused request that took effect anyway', async () => {
    await conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (16, 1); UPDATE coupons SET issued = 6 WHERE id = 1');
    await redis.sadd(couponKeys(db.config.redisKeyPrefix, 1).issued, '16');
    await redis.set(couponKeys(db.config.redisKeyPrefix, 1).stock, '4');
    const report = await run();
    expect(inv(report, 'coupon.no-unacknowledged-issue')).toMatchObject({ ok: false, violations: 1, examples: ['coupon 1 user 16: holds it after COUPON_SOLD_OUT'] });
  });

  it('is unknown, not ok, while the outbox has not drained', async () => {
    await conn.query("UPDATE outbox_events SET sent_at = NULL");
    const report = await run();
    expect(report.verdict).toBe('unknown');
    expect(report.drain).toMatchObject({ drained: false, outboxPending: 1 });
  });
});
