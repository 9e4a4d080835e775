import { couponIssueTopic, couponKeys } from '@perf-lab/contract';
import type { FastifyInstance } from 'fastify';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, dbState, http, insertProduct, insertUsers, lab, redisState, scalar, testKafka, waitFor } from '../helper.ts';
import type { TestWorld } from '../helper.ts';
import { pidListeningOn, portOf, whilePaused } from './lab-process.ts';

/**
 * Issue 14 §A with the real broker paused (SIGSTOP), as a stalled or partitioned Kafka looks
 * to the server: sends hang rather than fail. Over real HTTP.
 */
let world: TestWorld;
let app: FastifyInstance;
let url: string;
let kafkaPid: number;

beforeAll(async () => {
  world = await createTestWorld({ users: 100 });
  // A short send deadline, so a paused broker answers 503 in 1 s; the sweeper left at its
  // default (5 s), so the retry path is what is exercised.
  ({ app, url } = await world.serve({ kafkaSendTimeoutMs: 1_000, outboxIntervalMs: 20 }));
  kafkaPid = pidListeningOn(portOf(lab.kafka.brokers[0] ?? ''));
  // The order topic exists before the relay publishes to it.
  const admin = testKafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: `${world.topicPrefix}order-events`, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
});
afterAll(() => world?.cleanup());

/** The app's consumer has handled as many messages as the coupon topic holds (it is new). */
async function consumerCaughtUp(): Promise<boolean> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(couponIssueTopic(world.topicPrefix));
    const onTopic = ends.reduce((sum, e) => sum + Number(e.offset), 0);
    const c = app.stats.consumer;
    return c.issued + c.alreadyApplied + c.rejectedSoldOut + c.rejectedDuplicate + c.redeliveredRejections >= onTopic;
  } finally {
    await admin.disconnect();
  }
}

describe('Kafka stalled (broker paused)', () => {
  it('A1/A3: a 503 says the outcome is unknown; the retry converges on one coupon and no compensation undoes it', async () => {
    const couponId = await world.createCoupon(3);
    const issueTo = (userId: number) => http(`${url}/api/coupons/${couponId}/issue`, { body: { userId } });
    expect((await issueTo(5)).status).toBe(202);
    const first = await whilePaused(kafkaPid, () => issueTo(7));
    expect(first.status).toBe(503);
    expect(first.body.error.message).toMatch(/may still be issued/);
    // The client retries as the body invites, until it gets a definite answer.
    const retry = await waitFor(async () => {
      const r = await issueTo(7);
      return r.status !== 503 && r;
    }, { what: 'a definite answer to the retry' });
    expect([202, 409]).toContain(retry.status);

    await waitFor(async () => (await dbState(world.pool, couponId)).userIds.includes(7), { what: 'user 7 issued' });
    await waitFor(consumerCaughtUp, { what: 'the consumer caught up' });
    await waitFor(async () => (await world.redis.hlen(couponKeys(world.prefix, couponId).pending)) === 0, { what: 'settled' });
    // One coupon for 7; Redis agrees with the database: 7 is in the dedupe set and the stock
    // counts both holders (the old code removed 7 from the set and gave a unit back).
    expect(await dbState(world.pool, couponId)).toMatchObject({ issued: 2, userIds: [5, 7] });
    expect(await redisState(world.redis, world.prefix, couponId)).toEqual({ stock: 1, members: [5, 7], soldOut: false });
    const [dup] = await world.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM coupon_issue_rejections WHERE coupon_id = ?', [couponId]);
    expect(Number(dup[0]?.n)).toBe(0);
    // And the last unit still goes to exactly one more user: no 202 that is later rejected.
    const late = await Promise.all([8, 9, 10].map(issueTo));
    expect(late.filter((r) => r.status === 202)).toHaveLength(1);
  });

  it('A5: order placement does not wait for a stalled Kafka (the relay holds no lock across the produce)', async () => {
    const users = [51, 52];
    await world.pool.query('UPDATE users SET balance = 10000 WHERE id IN (?)', [users]);
    const productId = await insertProduct(world.pool, 100, 100);
    const order = (userId: number) => http(`${url}/api/orders`, { body: { userId, items: [{ productId, quantity: 1 }] }, timeoutMs: 20_000 });
    const relayInSend = async (): Promise<boolean> =>
      (await scalar(world.pool, 'SELECT COUNT(*) FROM outbox_events WHERE claim_token IS NOT NULL').catch(() => 0)) > 0 ||
      (await scalar(world.pool, 'SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_rows_locked > 0')) > 0;
    const { placed, tookMs } = await whilePaused(kafkaPid, async () => {
      expect((await order(51)).status).toBe(201);
      // The relay has taken that event and blocks in its send to the paused broker: it holds
      // a claim (or, as the old relay did, row locks in an open transaction).
      await waitFor(relayInSend, { what: 'the relay blocked on Kafka' });
      const t0 = Date.now();
      const second = await order(52);
      return { placed: second, tookMs: Date.now() - t0 };
    });
    expect(placed.status).toBe(201);
    expect(tookMs).toBeLessThan(3_000);
    // Once Kafka is back both events are published.
    await waitFor(async () => (await scalar(world.pool, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NULL')) === 0, {
      timeoutMs: 45_000,
      what: 'the outbox drained',
    });
  });

  it('A8: /health is not 200 while Kafka does not answer, and 200 again after', async () => {
    const during = await whilePaused(kafkaPid, () => http(`${url}/health`));
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    await waitFor(async () => (await http(`${url}/health`)).status === 200, { what: 'healthy again' });
  });
});
