import { describe, expect, it } from 'vitest';
import { couponKeys } from '@perf-lab/contract';
import { expectAuditOk, FIXTURE_LOG, inv, paidEventJson, useAuditFixture, violatedNames } from './audit-fixture.ts';

/**
 * Rows that name what does not exist, or disagree on whose they are — which sums, chains and
 * counts over existing rows cannot see. Each corruption keeps every other fact consistent (the
 * counters, Redis, the ledger, the log), is audited, reverted, and audited ok again.
 */
describe('audit: rows reference what exists', () => {
  const f = useAuditFixture('auditrefs');
  const failing = violatedNames;
  const expectOk = () => expectAuditOk(f);
  const keys = () => couponKeys(f.db.config.redisKeyPrefix, 1);

  it('a coupon issued to a user who does not exist, counted, in Redis and acknowledged', async () => {
    await f.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (999, 1); UPDATE coupons SET issued = 6 WHERE id = 1');
    await f.redis.sadd(keys().issued, '999');
    await f.redis.set(keys().stock, '4');
    f.writeRun([...FIXTURE_LOG, 'perf-lab-op coupon.issue outcome=ack coupon=1 user=999 status=202 reason=OK']);
    const report = await f.run();
    expect(failing(report)).toEqual(['coupon.holders-exist']);
    expect(inv(report, 'coupon.holders-exist')).toMatchObject({ violations: 1, examples: ['coupon 1 user 999: held, but no such user'] });
    await f.conn.query('DELETE FROM user_coupons WHERE user_id = 999; UPDATE coupons SET issued = 5 WHERE id = 1');
    await f.redis.srem(keys().issued, '999');
    await f.redis.set(keys().stock, '5');
    f.writeRun(FIXTURE_LOG);
    await expectOk();
  });

  it('a seeded holding gone, its counter adjusted, on a strategy that keeps no Redis mirror', async () => {
    await f.conn.query('DELETE FROM user_coupons WHERE user_id = 3 AND coupon_id = 2; UPDATE coupons SET issued = 4 WHERE id = 2');
    const report = await f.run({ couponStrategy: 'db-only' });
    expect(failing(report)).toEqual(['coupon.holders-exist']);
    expect(inv(report, 'coupon.holders-exist').examples).toEqual(['coupon 2: 1 of its 5 seeded holdings (users 1..5) no longer held']);
    await f.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (3, 2); UPDATE coupons SET issued = 5 WHERE id = 2');
    await expectOk();
  });

  it('a payment, with its ledger debit, for an order that does not exist', async () => {
    await f.conn.query(`SET FOREIGN_KEY_CHECKS = 0;
      INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (99, 3, 100, 'PAID', 'order:99');
      SET FOREIGN_KEY_CHECKS = 1;
      INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:99', 3, -100, 'PAYMENT', 999900, 99);
      UPDATE users SET balance = 999900 WHERE id = 3;`);
    // Without a run log (nothing to trace requests to), the state alone shows it.
    const report = await f.run({ runDir: undefined });
    expect(failing(report)).toEqual(['order.references-intact']);
    expect(inv(report, 'order.references-intact').examples).toEqual(['payment 2: of user 3 for order 99: no such order']);
    await f.conn.query("DELETE FROM balance_history WHERE transaction_id = 'order:99'; DELETE FROM payments WHERE order_id = 99; UPDATE users SET balance = 1000000 WHERE id = 3");
    await expectOk();
  });

  it('an order event, marked sent and on Kafka, for an order that does not exist', async () => {
    await f.conn.query("INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, payload, sent_at) VALUES (60, 'order', '77', 'OrderPaid', '{}', NOW(3))");
    await f.publish([60]);
    const report = await f.run();
    expect(failing(report)).toEqual(['order.references-intact']);
    expect(inv(report, 'order.references-intact').examples).toEqual(['outbox event 60: OrderPaid of order 77: no such order']);
    await f.conn.query('DELETE FROM outbox_events WHERE id = 60');
    await expectOk();
  });

  it("a payment and its ledger debit on another user than the order's", async () => {
    await f.conn.query('UPDATE payments SET user_id = 2 WHERE order_id = 1');
    const report = await f.run();
    expect(failing(report)).toEqual(['order.references-intact']);
    expect(inv(report, 'order.references-intact')).toMatchObject({ violations: 2, examples: [
      'ledger row 1: order:1: user 1, order 1; its payment: user 2, order 1',
      'payment 1: of user 2 for order 1: the order is PAID, of user 1',
    ] });
    await f.conn.query('UPDATE payments SET user_id = 1 WHERE order_id = 1');
    await expectOk();
  });

  it('an order line for a product that does not exist, and a seeded user and product deleted', async () => {
    await f.conn.query(`INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 99, 1, 0);
      DELETE FROM users WHERE id IN (40, 41); DELETE FROM products WHERE id = 9`);
    const report = await f.run();
    // The order's event does not list the line added after it.
    expect(failing(report)).toEqual(['order.events-match-orders', 'order.references-intact']);
    expect(inv(report, 'order.references-intact')).toMatchObject({ violations: 4, examples: [
      'product 9: seeded, no longer exists', 'users 40..41: seeded, no longer exist', 'order line 3: of order 1: product 99 does not exist',
    ] });
    await f.conn.query(`DELETE FROM order_items WHERE product_id = 99; INSERT INTO users (id, balance) VALUES (40, 1000000), (41, 1000000);
      INSERT INTO products (id, name, price, quantity) VALUES (9, 'product 9', 100, 100)`);
    await expectOk();
  });

  it('an order line whose product stock was not decremented (a whole second order, logged, books balanced)', async () => {
    await f.conn.query(`
      INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, idempotency_key) VALUES (2, 2, 'PAID', 100, 0, 100, 'k-2b');
      INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (2, 3, 1, 100);
      INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (2, 2, 100, 'PAID', 'order:2');
      INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:2', 2, -100, 'PAYMENT', 999900, 2);
      INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, payload, sent_at) VALUES (2, 'order', '2', 'OrderPaid', ?, NOW(3));
      UPDATE users SET balance = 999900 WHERE id = 2;`, [paidEventJson(2, 2, [[3, 1]])]);
    await f.publish([2]);
    f.writeRun([...FIXTURE_LOG, 'perf-lab-op order.create outcome=ack user=2 status=201 reason=OK order=2 key=k-2b']);
    const report = await f.run();
    expect(failing(report)).toEqual(['order.stock-conservation']);
    expect(inv(report, 'order.stock-conservation').examples).toEqual(['product 3: initial 100 − sold 1 = 99, current 100']);
    await f.conn.query('UPDATE products SET quantity = 99 WHERE id = 3');
    await expectOk();
  });
});
