import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { couponKeys, orderPaidPayload, type OrderPaidLine } from '@perf-lab/contract';
import { audit, seed, type AuditOptions, type AuditReport, type InvariantResult } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** The operations a load test would have logged for the fixture's state (one per line). */
export const FIXTURE_LOG = [
  ...[11, 12, 13, 14, 15].map((u) => `perf-lab-op coupon.issue outcome=ack coupon=1 user=${u} status=202 reason=OK`),
  'time="2026-11-25T12:00:00Z" level=info msg="perf-lab-op coupon.issue outcome=fail coupon=1 user=16 status=409 reason=COUPON_SOLD_OUT" source=console',
  'perf-lab-op order.create outcome=ack user=1 status=201 reason=OK order=1 key=k-1',
  'perf-lab-op order.create outcome=fail user=2 status=409 reason=INSUFFICIENT_STOCK key=k-2',
];

/**
 * The JSON an order's paid event carries, as the reference server writes it: its lines as
 * [product, quantity] at the fixture's price of 100, no coupon unless given.
 */
export function paidEventJson(orderId: number, userId: number, lines: readonly (readonly [number, number])[], discount = 0, couponId: number | null = null): string {
  const items: OrderPaidLine[] = lines.map(([productId, quantity]) => ({ productId, quantity, unitPrice: 100 }));
  const totalAmount = items.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  return JSON.stringify(orderPaidPayload({ orderId, userId, totalAmount, discountAmount: discount, paidAmount: totalAmount - discount, couponId, items }));
}

export interface AuditFixture {
  readonly db: TestDatabase;
  readonly conn: mysql.Connection;
  readonly redis: Redis;
  readonly runDir: string;
  run(options?: AuditOptions): Promise<AuditReport>;
  /** Writes the run's operations.log, and its summary with the counts a run of these lines has. */
  writeRun(lines: readonly string[], counts?: { successes: number; business: number; system: number }): void;
  /** Publishes outbox events by id to the order-events topic, with their payloads, as the relay does. */
  publish(eventIds: readonly number[]): Promise<void>;
}

export function inv(report: AuditReport, name: string): InvariantResult {
  const found = report.invariants.find((i) => i.name === name);
  if (!found) throw new Error(`no invariant ${name}`);
  return found;
}

/** The invariants a report found violated, by name. */
export function violatedNames(report: AuditReport): string[] {
  return report.invariants.filter((i) => i.status === 'violated').map((i) => i.name);
}

/** After a corruption is reverted: nothing violated, verdict ok. */
export async function expectAuditOk(fixture: AuditFixture): Promise<void> {
  const report = await fixture.run();
  expect(violatedNames(report)).toEqual([]);
  expect(report.verdict).toBe('ok');
}

export function countsOf(lines: readonly string[]): { successes: number; business: number; system: number } {
  const of = (o: string) => lines.filter((l) => l.includes(`outcome=${o}`)).length;
  return { successes: of('ack'), business: of('fail'), system: of('indeterminate') };
}

/**
 * State built by hand (no server), reset before each test: five issued coupons, one paid order
 * with its payment, ledger row and published outbox event, and the run folder a load test
 * would have written — operations log, summary with its counts, seed manifest.
 */
export function useAuditFixture(label: string): AuditFixture {
  const state = {} as { db: TestDatabase; conn: mysql.Connection; redis: Redis; runDir: string };
  const kafka = () => new Kafka({ clientId: 'perf-lab-audit-test', brokers: [...state.db.config.kafka.brokers], logLevel: logLevel.NOTHING });

  const fixture: AuditFixture = {
    get db() { return state.db; },
    get conn() { return state.conn; },
    get redis() { return state.redis; },
    get runDir() { return state.runDir; },
    run: (options = {}) => audit(state.db.config, { runDir: state.runDir, drainTimeoutMs: 2000, queryTimeoutMs: 5000, ...options }),
    writeRun(lines, counts = countsOf(lines)) {
      writeFileSync(path.join(state.runDir, 'operations.log'), lines.map((l) => `${l}\n`).join(''));
      const counter = (n: number) => ({ type: 'counter', values: { count: n, rate: n } });
      writeFileSync(path.join(state.runDir, 'summary.json'), JSON.stringify({ metrics: {
        http_reqs: counter(counts.successes + counts.business + counts.system),
        ...(counts.successes ? { perf_lab_successes: counter(counts.successes) } : {}),
        ...(counts.business ? { perf_lab_business_failures: counter(counts.business) } : {}),
        ...(counts.system ? { perf_lab_system_failures: counter(counts.system) } : {}),
      } }));
    },
    async publish(eventIds) {
      const [found] = await state.conn.query<mysql.RowDataPacket[]>('SELECT id, payload FROM outbox_events WHERE id IN (?)', [eventIds]);
      // The driver may hand a JSON column over parsed (MariaDB marks it as JSON): the relay sends text.
      const payloads = new Map(found.map((r) => [Number(r['id']), typeof r['payload'] === 'string' ? r['payload'] : JSON.stringify(r['payload'])]));
      const producer = kafka().producer();
      await producer.connect();
      await producer.send({
        topic: `${state.db.config.kafka.topicPrefix}order-events`, acks: -1,
        messages: eventIds.map((id) => ({ key: String(id), value: payloads.get(id) ?? '{}', headers: { 'event-id': String(id) } })),
      });
      await producer.disconnect();
    },
  };

  beforeAll(async () => {
    state.db = await createTestDatabase(label);
    state.conn = await mysql.createConnection({ uri: state.db.config.mysql.url, multipleStatements: true });
    state.redis = new Redis(state.db.config.redis.url);
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: `${state.db.config.kafka.topicPrefix}order-events`, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
  });
  afterAll(async () => {
    await state.conn?.end();
    state.redis?.disconnect();
    await state.db?.drop();
  });

  beforeEach(async () => {
    const seeded = await seed(state.db.config, { plan: { users: 50, couponStock: 10, orderCouponHolders: 5, products: 10, productStock: 100, productPrice: 100 } });
    state.runDir = mkdtempSync(path.join(tmpdir(), `perf-lab-${label}-run-`));
    copyFileSync(seeded.manifestFile, path.join(state.runDir, 'seed-manifest.json'));
    // Coupon 1: users 11..15 acknowledged and issued; user 16 refused as sold out.
    await state.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (11,1),(12,1),(13,1),(14,1),(15,1); UPDATE coupons SET issued = 5 WHERE id = 1');
    const keys = couponKeys(state.db.config.redisKeyPrefix, 1);
    await state.redis.sadd(keys.issued, '11', '12', '13', '14', '15');
    await state.redis.set(keys.stock, '5');
    // One paid order for user 1: products 1 and 4 × 2 at 100 = 400.
    await state.conn.query(`
      INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, idempotency_key) VALUES (1, 1, 'PAID', 400, 0, 400, 'k-1');
      INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 2, 100), (1, 4, 2, 100);
      INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (1, 1, 400, 'PAID', 'order:1');
      INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:1', 1, -400, 'PAYMENT', 999600, 1);
      INSERT INTO outbox_events (aggregate_type, aggregate_id, type, payload, sent_at) VALUES ('order', '1', 'OrderPaid', ?, NOW(3));
      UPDATE users SET balance = balance - 400 WHERE id = 1;
      UPDATE products SET quantity = quantity - 2 WHERE id IN (1, 4);`, [paidEventJson(1, 1, [[1, 2], [4, 2]])]);
    // Truncation restarts outbox ids at 1, so event 1 is published again each time (a duplicate is harmless).
    await fixture.publish([1]);
    fixture.writeRun(FIXTURE_LOG);
  });

  return fixture;
}
