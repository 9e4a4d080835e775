import { describe, expect, it } from 'vitest';
import { expectAuditOk, inv, paidEventJson, useAuditFixture, violatedNames } from './audit-fixture.ts';

/**
 * The order-side invariants that close the gaps between orders, payments, coupons, the ledger
 * and Kafka: each corruption is applied to the fixture's real state, audited, reverted, and
 * audited again — the same data must then pass.
 */
describe('audit: orders, payments, coupons, ledger and Kafka agree', () => {
  const f = useAuditFixture('auditorder');
  const failing = violatedNames;
  const expectOk = () => expectAuditOk(f);

  it('passes on consistent data and reads the order-events topic', async () => {
    const report = await f.run();
    expect(report.verdict).toBe('ok');
    expect(inv(report, 'order.sent-events-on-kafka')).toMatchObject({ status: 'ok', note: expect.stringMatching(/^1 sent event\(s\) matched/) });
  });

  it('a second paid order nobody asked for (a server-side retry) is a phantom', async () => {
    await f.conn.query(`
      INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, idempotency_key) VALUES (2, 1, 'PAID', 400, 0, 400, 'k-1-retry');
      INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (2, 1, 2, 100), (2, 4, 2, 100);
      INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (2, 1, 400, 'PAID', 'order:2');
      INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:2', 1, -400, 'PAYMENT', 999200, 2);
      INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, payload, sent_at) VALUES (2, 'order', '2', 'OrderPaid', ?, NOW(3));
      UPDATE users SET balance = balance - 400 WHERE id = 1;
      UPDATE products SET quantity = quantity - 2 WHERE id IN (1, 4);`, [paidEventJson(2, 1, [[1, 2], [4, 2]])]);
    await f.publish([2]);
    const report = await f.run();
    expect(report.verdict).toBe('violated');
    expect(failing(report)).toEqual(['order.no-phantom-orders']);
    expect(inv(report, 'order.no-phantom-orders')).toMatchObject({ violations: 1, examples: ['order 2 (user 1, key k-1-retry): paid, but no request in the log asked for it'] });
    await f.conn.query(`DELETE FROM outbox_events WHERE id = 2; DELETE FROM balance_history WHERE order_id = 2; DELETE FROM payments WHERE order_id = 2;
      DELETE FROM order_items WHERE order_id = 2; DELETE FROM orders WHERE id = 2; UPDATE users SET balance = balance + 400 WHERE id = 1;
      UPDATE products SET quantity = quantity + 2 WHERE id IN (1, 4);`);
    await expectOk();
  });

  it('a charge nobody asked for is a phantom', async () => {
    await f.conn.query(`INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after) VALUES ('charge:5:x', 5, 1000, 'CHARGE', 1001000);
      UPDATE users SET balance = balance + 1000 WHERE id = 5;`);
    const report = await f.run();
    expect(failing(report)).toEqual(['order.no-phantom-orders']);
    expect(inv(report, 'order.no-phantom-orders').examples).toEqual(['charge charge:5:x of 1000 to user 5: no request in the log']);
    await f.conn.query("DELETE FROM balance_history WHERE transaction_id = 'charge:5:x'; UPDATE users SET balance = balance - 1000 WHERE id = 5");
    await expectOk();
  });

  it('payment, ledger and balance that agree on the wrong amount', async () => {
    await f.conn.query(`UPDATE orders SET total_amount = 300, paid_amount = 300 WHERE id = 1; UPDATE payments SET amount = 300 WHERE order_id = 1;
      UPDATE balance_history SET amount = -300, balance_after = 999700 WHERE order_id = 1; UPDATE users SET balance = 999700 WHERE id = 1;`);
    const report = await f.run();
    // The order's event, written with it, still says 400: a copy that disagrees.
    expect(failing(report)).toEqual(['order.charge-equals-order', 'order.events-match-orders']);
    expect(inv(report, 'order.charge-equals-order').examples).toEqual(['order 1: lines at price 400 − discount 0 = 400; order says 300 − 0 = 300, payment 300']);
    await f.conn.query(`UPDATE orders SET total_amount = 400, paid_amount = 400 WHERE id = 1; UPDATE payments SET amount = 400 WHERE order_id = 1;
      UPDATE balance_history SET amount = -400, balance_after = 999600 WHERE order_id = 1; UPDATE users SET balance = 999600 WHERE id = 1;`);
    await expectOk();
  });

  it('coupon use must agree both ways', async () => {
    // Order 1 spends user 1's coupon 2 (discount 100) but the coupon is not marked used.
    await f.conn.query(`UPDATE coupons SET discount_amount = 100 WHERE id = 2;
      UPDATE orders SET coupon_id = 2, discount_amount = 100, paid_amount = 300 WHERE id = 1; UPDATE payments SET amount = 300 WHERE order_id = 1;
      UPDATE balance_history SET amount = -300, balance_after = 999700 WHERE order_id = 1; UPDATE users SET balance = 999700 WHERE id = 1;`);
    let report = await f.run();
    // The order's event still says no coupon, 400 paid (it disagrees until the order is restored).
    const eventSays = ["event 1 of order 1: discountAmount 0, the order's 100; paidAmount 400, the order's 300; couponId null, the order's 2"];
    expect(failing(report)).toEqual(['order.coupon-use-consistent', 'order.events-match-orders']);
    expect(inv(report, 'order.events-match-orders').examples).toEqual(expect.arrayContaining(eventSays));
    expect(inv(report, 'order.coupon-use-consistent').examples).toEqual(['order 1: spent coupon 2 of user 1, marked used by no order']);
    await f.conn.query('UPDATE user_coupons SET used_order_id = 1, used_at = NOW(3) WHERE user_id = 1 AND coupon_id = 2');
    expect(failing(await f.run())).toEqual(['order.events-match-orders']);
    // The other way: user 2's coupon marked used by an order that is not user 2's.
    await f.conn.query('UPDATE user_coupons SET used_order_id = 1 WHERE user_id = 2 AND coupon_id = 2');
    report = await f.run();
    expect(failing(report)).toEqual(['order.coupon-use-consistent', 'order.events-match-orders']);
    expect(inv(report, 'order.coupon-use-consistent').examples).toEqual(['coupon 2 of user 2: marked used by order 1, which is PAID, user 1, coupon 2']);
    await f.conn.query(`UPDATE user_coupons SET used_order_id = NULL, used_at = NULL WHERE coupon_id = 2; UPDATE coupons SET discount_amount = 1000 WHERE id = 2;
      UPDATE orders SET coupon_id = NULL, discount_amount = 0, paid_amount = 400 WHERE id = 1; UPDATE payments SET amount = 400 WHERE order_id = 1;
      UPDATE balance_history SET amount = -400, balance_after = 999600 WHERE order_id = 1; UPDATE users SET balance = 999600 WHERE id = 1;`);
    await expectOk();
  });

  it('a ledger row whose balance_after breaks the chain', async () => {
    await f.conn.query("UPDATE balance_history SET balance_after = 999000 WHERE transaction_id = 'order:1'");
    const report = await f.run();
    // The sums still agree: only the chain sees it.
    expect(failing(report)).toEqual(['order.ledger-chain']);
    expect(inv(report, 'order.ledger-chain')).toMatchObject({ violations: 2, examples: [
      'user 1 order:1: before 999400, previous after 1000000 (seeded)',
      'user 1: last ledger row order:1 leaves 999000, balance is 999600',
    ] });
    await f.conn.query("UPDATE balance_history SET balance_after = 999600 WHERE transaction_id = 'order:1'");
    await expectOk();
  });

  it('an event marked sent that Kafka never received', async () => {
    await f.conn.query("INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, payload, sent_at) VALUES (50, 'shipment', '1', 'Shipped', '{}', NOW(3))");
    const report = await f.run();
    expect(failing(report)).toEqual(['order.sent-events-on-kafka']);
    expect(inv(report, 'order.sent-events-on-kafka').examples).toEqual([`event 50 (Shipped of shipment 1): marked sent, not on ${f.db.config.kafka.topicPrefix}order-events`]);
    await f.publish([50]);
    await expectOk();
    await f.conn.query('DELETE FROM outbox_events WHERE id = 50');
  });

  it('a balance past the exact-integer range', async () => {
    await f.conn.query('UPDATE users SET balance = 9007199254740993 WHERE id = 7');
    const report = await f.run();
    expect(inv(report, 'order.amounts-exact')).toMatchObject({ status: 'violated', violations: 1, examples: ['users 7: balance 9007199254740993'] });
    await f.conn.query('UPDATE users SET balance = 1000000 WHERE id = 7');
    await expectOk();
  });
});
