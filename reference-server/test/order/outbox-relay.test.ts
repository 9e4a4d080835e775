import type { FastifyInstance } from 'fastify';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../src/order/outbox-relay.ts';
import { createTestWorld, insertProduct, insertUsers, postOrder, scalar, testKafka, waitFor } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

const kafka = testKafka();
let world: TestWorld;
let topic: string;
let app: FastifyInstance;
let consumer: Consumer;
/** Distinct order ids seen on the topic, and how many messages carried them (at-least-once). */
const seen = new Map<number, number>();

beforeAll(async () => {
  world = await createTestWorld();
  // Under the world's topic prefix, so cleanup() deletes it.
  topic = `${world.topicPrefix}order-events`;
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
  // The app's own relay is off here: the test drives relays directly to stop them mid-way.
  app = await world.orderApp();
});

afterAll(async () => {
  await consumer?.disconnect();
  await world?.cleanup();
});

const relay = (batchSize: number): OutboxRelay => new OutboxRelay({ pool: app.mysql, kafka, topic, intervalMs: 20, batchSize });

async function placeOrders(target: FastifyInstance, users: readonly number[], productId: number): Promise<number[]> {
  const results = await Promise.all(users.map((userId) => postOrder(target, { userId, items: [{ productId, quantity: 1 }] })));
  expect(results.every((r) => r.statusCode === 201)).toBe(true);
  return results.map((r) => r.body.orderId as number);
}

const sentCount = (): Promise<number> => scalar(world.pool, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NOT NULL');

describe('outbox relay', () => {
  it("every paid order's event reaches Kafka, also when the relay is stopped mid-way and two relays share the work", async () => {
    const users = Array.from({ length: 120 }, (_, i) => 100 + i);
    await insertUsers(world.pool, users, 1_000_000);
    const productId = await insertProduct(world.pool, 100, 10_000);
    const first = await placeOrders(app, users.slice(0, 80), productId);

    // Small batches so the stop lands with work left over.
    const a = relay(5);
    await a.start();
    await waitFor(async () => (await sentCount()) >= 10, { what: '10 events sent' });
    await a.stop();
    expect(await sentCount()).toBeLessThan(80);

    // More orders while no relay runs, then two relays at once (two server processes).
    const second = await placeOrders(app, users.slice(80), productId);
    const [b, c] = [relay(7), relay(7)];
    await Promise.all([b.start(), c.start()]);
    const all = [...first, ...second];
    await waitFor(() => all.every((id) => seen.has(id)), { timeoutMs: 30_000, what: 'all events on the topic' });
    await Promise.all([b.stop(), c.stop()]);

    expect(await scalar(world.pool, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NULL')).toBe(0);
    expect(new Set(seen.keys())).toEqual(new Set(all));
    // SKIP LOCKED gave the two relays disjoint rows and nothing failed: no duplicates either.
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('the app runs its relay from onReady and stops it cleanly on close', async () => {
    const withRelay = await world.orderApp({ outboxRelay: true, outboxIntervalMs: 20 });
    const stats = withRelay.stats.outbox;
    const users = [900, 901, 902];
    await insertUsers(world.pool, [...users, 903], 10_000);
    const productId = await insertProduct(world.pool, 100, 100);
    const ids = await placeOrders(withRelay, users, productId);
    await waitFor(() => ids.every((id) => seen.has(id)), { timeoutMs: 30_000, what: "the app relay's events" });
    expect(stats.running).toBe(true);
    await withRelay.close();

    // Stopped means: the loop has ended, and an order placed afterwards is left to others.
    expect(stats.running).toBe(false);
    const pollsAtClose = stats.polls;
    const late = await placeOrders(app, [903], productId);
    // A relay driven by the test publishes it; the closed app's relay, were it still polling
    // every 20 ms, would have claimed it first in most of those ticks.
    const probe = relay(10);
    await probe.start();
    await waitFor(() => late.every((id) => seen.has(id)), { timeoutMs: 30_000, what: 'the late order published by the probe' });
    await probe.stop();
    expect(probe.stats.published).toBeGreaterThanOrEqual(1);
    expect(stats.polls).toBe(pollsAtClose);
    expect(seen.get(late[0] ?? 0)).toBe(1);
  });

  it('an idle relay polls every ten intervals, and an order of its own process brings it back within one', async () => {
    const withRelay = await world.orderApp({ outboxRelay: true, outboxIntervalMs: 200 });
    const stats = withRelay.stats.outbox;
    try {
      const users = [950, 951];
      await insertUsers(world.pool, users, 10_000);
      const productId = await insertProduct(world.pool, 100, 100);
      await waitFor(() => stats.polls >= 2, { what: 'two polls of an empty outbox' });
      // Idle: at 200 ms a tick, 1.5 s would hold 7 polls; at ten ticks, one at most.
      const idleFrom = stats.polls;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(stats.polls - idleFrom).toBeLessThanOrEqual(1);

      // Right after an idle poll the next is 2 s away: only the nudge can publish sooner.
      const before = stats.polls;
      await waitFor(() => stats.polls > before, { timeoutMs: 5_000, what: 'an idle poll' });
      const placedAt = Date.now();
      const [id] = await placeOrders(withRelay, [users[0]!], productId);
      await waitFor(() => seen.has(id!), { timeoutMs: 5_000, what: 'the nudged relay publishing the order' });
      expect(Date.now() - placedAt).toBeLessThan(1000);
    } finally {
      await withRelay.close();
    }
  });
});
