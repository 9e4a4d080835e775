import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../src/order/outbox-relay.ts';
import {
  buildOrderApp,
  createTestDatabase,
  deleteRedisKeys,
  insertProduct,
  insertUsers,
  KAFKA_BROKERS,
  postOrder,
  scalar,
  uniqueSuffix,
  waitFor,
} from './order-test-helper.ts';
import type { TestDatabase } from './order-test-helper.ts';

const topic = `ref-order-test-${uniqueSuffix()}`;
const kafka = new Kafka({ clientId: 'ref-order-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const prefix = `test:${uniqueSuffix()}:`;
let db: TestDatabase;
let app: FastifyInstance;
let consumer: Consumer;
/** Distinct order ids seen on the topic, and how many messages carried them (at-least-once). */
const seen = new Map<number, number>();

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { orderId } = JSON.parse(String(message.value)) as { orderId: number };
      seen.set(orderId, (seen.get(orderId) ?? 0) + 1);
    },
  });
  db = await createTestDatabase();
  // The plugin's own relay is off here: the test drives relays directly to stop them mid-way.
  app = await buildOrderApp({ dbUrl: db.url, keyPrefix: prefix });
});

afterAll(async () => {
  await consumer?.disconnect();
  if (app) await deleteRedisKeys(app, prefix);
  await app?.close();
  await db?.drop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

const relay = (batchSize: number): OutboxRelay =>
  new OutboxRelay({ pool: app.mysql, kafka, topic, intervalMs: 20, batchSize });

async function placeOrders(users: readonly number[], productId: number): Promise<number[]> {
  const results = await Promise.all(users.map((userId) => postOrder(app, { userId, items: [{ productId, quantity: 1 }] })));
  expect(results.every((r) => r.statusCode === 201)).toBe(true);
  return results.map((r) => r.body.orderId as number);
}

describe('outbox relay', () => {
  it("every paid order's event reaches Kafka, also when the relay is stopped mid-way and two relays share the work", async () => {
    const users = Array.from({ length: 120 }, (_, i) => 100 + i);
    await insertUsers(app.mysql, users, 1_000_000);
    const productId = await insertProduct(app.mysql, 100, 10_000);
    const first = await placeOrders(users.slice(0, 80), productId);

    // Small batches so the stop lands with work left over.
    const a = relay(5);
    await a.start();
    await waitFor(async () => (await scalar(app.mysql, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NOT NULL')) >= 10);
    await a.stop();
    const sentAtStop = await scalar(app.mysql, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NOT NULL');
    expect(sentAtStop).toBeLessThan(80);

    // More orders while no relay runs, then two relays at once (two server processes).
    const second = await placeOrders(users.slice(80), productId);
    const [b, c] = [relay(7), relay(7)];
    await Promise.all([b.start(), c.start()]);
    const all = [...first, ...second];
    await waitFor(() => all.every((id) => seen.has(id)), 30_000, 50);
    await Promise.all([b.stop(), c.stop()]);

    expect(await scalar(app.mysql, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NULL')).toBe(0);
    expect(new Set(seen.keys())).toEqual(new Set(all));
    // SKIP LOCKED gave the two relays disjoint rows and nothing failed: no duplicates either.
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('the plugin runs its relay from onReady and stops it cleanly on close', async () => {
    const withRelay = await buildOrderApp({ dbUrl: db.url, keyPrefix: prefix, relayTopic: topic });
    try {
      const users = [900, 901, 902];
      await insertUsers(withRelay.mysql, users, 10_000);
      const productId = await insertProduct(withRelay.mysql, 100, 100);
      const results = await Promise.all(users.map((userId) => postOrder(withRelay, { userId, items: [{ productId, quantity: 1 }] })));
      const ids = results.map((r) => r.body.orderId as number);
      await waitFor(() => ids.every((id) => seen.has(id)), 30_000, 50);
    } finally {
      await withRelay.close();
    }
  });
});
