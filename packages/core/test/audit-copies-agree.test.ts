import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { couponKeys } from '@perf-lab/contract';
import { expectAuditOk, inv, paidEventJson, useAuditFixture, violatedNames } from './audit-fixture.ts';

/**
 * Facts the system keeps more than once must agree: the ledger and the payments, the Redis
 * mirror and the database, a counter and the rows it counts, an order and its one event. Each
 * corruption breaks one copy, is audited (expecting exactly the invariant that owns it, with
 * its ids), reverted, and audited ok again.
 */
describe('audit: the copies of a fact agree', () => {
  const f = useAuditFixture('auditcopies');
  const failing = violatedNames;
  const expectOk = () => expectAuditOk(f);
  const keys = () => couponKeys(f.db.config.redisKeyPrefix, 1);

  it('a ledger row duplicated (unique key dropped), the balance debited twice to match', async () => {
    await f.conn.query(`ALTER TABLE balance_history DROP INDEX uq_balance_history_transaction;
      INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:1', 1, -400, 'PAYMENT', 999200, 1);
      UPDATE users SET balance = 999200 WHERE id = 1`);
    const report = await f.run();
    expect(failing(report)).toEqual(['order.ledger-transaction-unique']);
    expect(inv(report, 'order.ledger-transaction-unique')).toMatchObject({ violations: 1, examples: ['transaction order:1 ×2'] });
    await f.conn.query(`DELETE FROM balance_history WHERE balance_after = 999200; UPDATE users SET balance = 999600 WHERE id = 1;
      ALTER TABLE balance_history ADD UNIQUE KEY uq_balance_history_transaction (transaction_id)`);
    await expectOk();
  });

  it('a payment whose ledger debit is gone, the balance restored to match', async () => {
    await f.conn.query("DELETE FROM balance_history WHERE transaction_id = 'order:1'; UPDATE users SET balance = 1000000 WHERE id = 1");
    const report = await f.run();
    expect(failing(report)).toEqual(['order.payments-match-ledger']);
    expect(inv(report, 'order.payments-match-ledger').examples).toEqual(['order 1: payment without ledger debit']);
    await f.conn.query(`INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:1', 1, -400, 'PAYMENT', 999600, 1);
      UPDATE users SET balance = 999600 WHERE id = 1`);
    await expectOk();
  });

  it('a paid order with a second event, published too', async () => {
    await f.conn.query("INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, payload, sent_at) VALUES (70, 'order', '1', 'OrderPaid', ?, NOW(3))",
      [paidEventJson(1, 1, [[1, 2], [4, 2]])]);
    await f.publish([70]);
    const report = await f.run();
    expect(failing(report)).toEqual(['order.paid-order-complete']);
    expect(inv(report, 'order.paid-order-complete').examples).toEqual(['order 1: 1 payment(s), 2 event(s)']);
    await f.conn.query('DELETE FROM outbox_events WHERE id = 70');
    await expectOk();
  });

  it('an event rewritten after publication says another user, amount and line than its order', async () => {
    await f.conn.query("UPDATE outbox_events SET payload = JSON_SET(payload, '$.userId', 2, '$.paidAmount', 300, '$.items[1].quantity', 3) WHERE id = 1");
    const report = await f.run();
    expect(failing(report)).toEqual(['order.events-match-orders']);
    expect(inv(report, 'order.events-match-orders')).toMatchObject({
      violations: 1,
      examples: ["event 1 of order 1: userId 2, the order's 1; paidAmount 300, the order's 400; items 1×2@100 4×3@100, the order's 1×2@100 4×2@100"],
    });
    await f.conn.query('UPDATE outbox_events SET payload = ? WHERE id = 1', [paidEventJson(1, 1, [[1, 2], [4, 2]])]);
    await expectOk();
    // The same payload under another type: not the event the order's payment wrote.
    await f.conn.query("UPDATE outbox_events SET type = 'OrderCancelled' WHERE id = 1");
    const retyped = await f.run();
    expect(failing(retyped)).toEqual(['order.events-match-orders']);
    expect(inv(retyped, 'order.events-match-orders').examples).toEqual(['event 1 of order 1: type OrderCancelled, but the reference server writes only OrderPaid events for an order']);
    await f.conn.query("UPDATE outbox_events SET type = 'OrderPaid' WHERE id = 1");
    await expectOk();
  });

  it('a copy on Kafka that names another order than the outbox row it was published from', async () => {
    const topic = `${f.db.config.kafka.topicPrefix}order-events`;
    const kafka = new Kafka({ clientId: 'perf-lab-audit-test', brokers: [...f.db.config.kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: '1', value: paidEventJson(2, 1, [[1, 2], [4, 2]]), headers: { 'event-id': '1' } }] });
    await producer.disconnect();
    const report = await f.run();
    expect(failing(report)).toEqual(['order.events-match-orders']);
    expect(inv(report, 'order.events-match-orders')).toMatchObject({ violations: 1, examples: [`event 1 of order 1 on ${topic}: orderId 2, the order's 1`] });
    // Reverted by emptying the topic and publishing the outbox row again, as a relay re-run would.
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopicRecords({ topic, partitions: (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high })) });
    await admin.disconnect();
    await f.publish([1]);
    await expectOk();
  });

  it('a Redis stock counter above the database', async () => {
    await f.redis.incrby(keys().stock, 2);
    const report = await f.run();
    expect(failing(report)).toEqual(['coupon.redis-stock-matches-db']);
    expect(inv(report, 'coupon.redis-stock-matches-db').examples).toEqual(['coupon 1: Redis stock 7, DB total − issued = 5']);
    await f.redis.set(keys().stock, '5');
    await expectOk();
  });

  it('a holder missing from the Redis dedupe set', async () => {
    await f.redis.srem(keys().issued, '13');
    const report = await f.run();
    expect(failing(report)).toEqual(['coupon.redis-set-matches-db']);
    expect(inv(report, 'coupon.redis-set-matches-db').examples).toEqual(['coupon 1 user 13: in DB, not in Redis']);
    await f.redis.sadd(keys().issued, '13');
    await expectOk();
  });

  it('a coupon total lowered below what was issued', async () => {
    await f.conn.query('UPDATE coupons SET total = 4 WHERE id = 1');
    await f.redis.set(keys().stock, '-1');
    const report = await f.run();
    expect(failing(report)).toEqual(['coupon.no-over-issue']);
    expect(inv(report, 'coupon.no-over-issue')).toMatchObject({ violations: 1, examples: ['coupon 1: total 4, issued 5, rows 5'] });
    await f.conn.query('UPDATE coupons SET total = 10 WHERE id = 1');
    await f.redis.set(keys().stock, '5');
    await expectOk();
  });
});
