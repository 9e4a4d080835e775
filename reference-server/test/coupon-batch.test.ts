import { couponIssueTopic, couponKeys } from '@perf-lab/contract';
import type { FastifyInstance } from 'fastify';
import type { Consumer } from 'kafkajs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyIssueBatch } from '../src/coupon/apply-issue-batch.ts';
import { CouponRedis } from '../src/coupon/coupon-redis.ts';
import { createIssueConsumerStats, startIssueConsumer } from '../src/coupon/issue-consumer.ts';
import type { IssueConsumerStats } from '../src/coupon/issue-consumer.ts';
import { encodeIssueRequests } from '../src/coupon/issue-request-message.ts';
import type { IssueRequestMessage } from '../src/coupon/issue-request-message.ts';
import { createTestWorld, dbState, redisState, waitFor } from './helper.ts';
import type { TestWorld } from './helper.ts';

let world: TestWorld;
let app: FastifyInstance;
let couponRedis: CouponRedis;
let prefix: string;
let topic: string;
let groupId: string;
const consumers: Consumer[] = [];

beforeAll(async () => {
  world = await createTestWorld();
  // API side only (creates the topic, gives a producer); the test runs its own consumers.
  // No sweeper re-sends: this file's reservations are settled by the messages it produces.
  app = await world.app({ consumerEnabled: false, reservationTimeoutMs: 3_600_000 });
  prefix = String(world.overrides.redisKeyPrefix);
  couponRedis = new CouponRedis(world.redis, prefix);
  topic = couponIssueTopic(String(world.overrides.kafkaTopicPrefix));
  groupId = String(world.overrides.consumerGroup);
});
afterAll(async () => {
  for (const c of consumers) await c.disconnect();
  await world?.cleanup();
});

let seq = 0;
const request = (userId: number, couponId: number): IssueRequestMessage => ({
  requestId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  couponId,
  userId,
  requestedAt: new Date().toISOString(),
});

async function startConsumer(): Promise<IssueConsumerStats> {
  const stats = createIssueConsumerStats();
  const { consumer, joined } = startIssueConsumer({
    kafka: app.kafka,
    pool: world.pool,
    couponRedis,
    topic,
    groupId,
    sessionTimeoutMs: app.config.kafka.consumerSessionTimeoutMs,
    stats,
    log: app.log,
  });
  consumers.push(consumer);
  await joined;
  return stats;
}

/** One message carrying all of them (the API's packing, on partition 0), sent before a consumer runs. */
const produce = (requests: readonly IssueRequestMessage[]) => app.kafkaProducer.send(topic, encodeIssueRequests(requests, 1)[0]!);

const handled = (s: IssueConsumerStats) =>
  s.issued + s.alreadyApplied + s.rejectedSoldOut + s.rejectedDuplicate + s.redeliveredRejections;

const rejections = async (couponId: number) => {
  const [rows] = await world.pool.query<RowDataPacket[]>(
    'SELECT request_id, reason FROM coupon_issue_rejections WHERE coupon_id = ? ORDER BY request_id',
    [couponId],
  );
  return rows.map((r) => [String(r.request_id), String(r.reason)]);
};

describe('redis-kafka consumer: one transaction per batch', () => {
  let couponId: number;
  let batch: IssueRequestMessage[];
  let liveStats: IssueConsumerStats;
  const snapshot = async () => ({
    db: await dbState(world.pool, couponId),
    redis: await redisState(world.redis, prefix, couponId),
    rejections: await rejections(couponId),
  });

  it('applies a mixed batch: fresh, redelivered, duplicate, beyond stock, repaired', async () => {
    // Seed scenario "DB 품절": the database has 5, Redis was loaded with 9.
    couponId = await world.createCoupon(5);
    await couponRedis.initStock(couponId, 9);
    // User 1 was issued earlier (request r1, applied, reservation held).
    const reserve = async (r: IssueRequestMessage) => (await couponRedis.reserve(couponId, r.userId, r.requestId)).outcome;
    const keys = couponKeys(prefix, couponId);
    const r1 = request(1, couponId);
    await reserve(r1);
    await applyIssueBatch(world.pool, [r1]);
    const fresh = [2, 3, 4, 5].map((u) => request(u, couponId));
    for (const r of fresh) expect(await reserve(r)).toBe('reserved');
    // Redis lost user 5's reservation (data loss) but the message landed: the batch repairs it.
    await world.redis.multi().srem(keys.issued, '5').incr(keys.stock).hdel(keys.pending, '5').exec();
    // Redis lost user 1 and accepted them again: a DB duplicate from another request.
    await world.redis.srem(keys.issued, '1');
    const dup = request(1, couponId);
    const beyond = [6, 7].map((u) => request(u, couponId));
    for (const r of [dup, ...beyond]) expect(await reserve(r)).toBe('reserved');
    // r1 redelivered first, beyond[0] redelivered inside the batch too.
    batch = [r1, ...fresh, dup, ...beyond, beyond[0]!];
    await produce(batch);

    const stats = await startConsumer();
    await waitFor(() => handled(stats) === batch.length, { what: 'the batch applied' });

    expect(stats).toEqual({
      issued: 4,
      alreadyApplied: 1,
      rejectedSoldOut: 2,
      rejectedDuplicate: 1,
      redeliveredRejections: 1,
      repaired: 1,
      poison: 0,
    });
    const state = await snapshot();
    expect(state.db).toEqual({ issued: 5, total: 5, userIds: [1, 2, 3, 4, 5] });
    expect(state.rejections).toEqual(
      [[dup.requestId, 'DUPLICATE'], ...beyond.map((r) => [r.requestId, 'SOLD_OUT'])].sort(),
    );
    // 9 − 1 (r1) − 4 (fresh) + 1 (5 lost) − 3 (1 again, 6, 7) = 2 before settling;
    // settle: 5 re-taken (−1), dup's stock given back (+1), 6 and 7 released (+2), 6 again
    // nothing. User 1 stays in the set: they do hold the coupon, so Redis matches the DB.
    expect(state.redis).toEqual({ stock: 4, members: [1, 2, 3, 4, 5], soldOut: true });
    expect(await world.redis.hlen(keys.pending)).toBe(0);
  });

  it('a whole batch consumed again by a new group member (crash before the offset commit) changes nothing', async () => {
    const before = await snapshot();
    // The first member "crashes": it leaves without its offsets, as if it had died between
    // the DB commit and the offset commit.
    await consumers.shift()!.disconnect();
    const admin = app.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId, topic, earliest: true });
    await admin.disconnect();

    const stats = (liveStats = await startConsumer());
    await waitFor(() => handled(stats) === batch.length, { what: 'the batch redelivered' });
    expect(stats).toMatchObject({ issued: 0, alreadyApplied: 5, redeliveredRejections: 4, repaired: 0 });
    expect(stats.rejectedSoldOut + stats.rejectedDuplicate).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('a crash between the DB commit and Redis: the redelivery compensates, exactly once', async () => {
    const id = await world.createCoupon(1);
    await couponRedis.initStock(id, 3);
    const requests = [11, 12, 13].map((u) => request(u, id));
    for (const r of requests) await couponRedis.reserve(id, r.userId, r.requestId);
    // Committed in MySQL, then "died" before settling Redis and before the offset commit.
    await applyIssueBatch(world.pool, requests);
    expect(await redisState(world.redis, prefix, id)).toEqual({ stock: 0, members: [11, 12, 13], soldOut: false });

    // The member started by the previous test is still running.
    const live = liveStats;
    const start = handled(live);
    await produce(requests);
    await produce(requests); // and once more: the second pass must not release again
    await waitFor(() => handled(live) === start + 6, { what: 'both deliveries applied' });
    expect(await dbState(world.pool, id)).toEqual({ issued: 1, total: 1, userIds: [11] });
    expect(await redisState(world.redis, prefix, id)).toEqual({ stock: 2, members: [11], soldOut: true });
  });
});
