import { couponIssueTopic, couponKeys } from '@perf-lab/contract';
import type { FastifyInstance } from 'fastify';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueConsumerStats } from '../src/coupon/issue-consumer.ts';
import { encodeIssueRequests } from '../src/coupon/issue-request-message.ts';
import { createTestWorld, dbState, issue, redisState, waitFor } from './helper.ts';
import type { TestWorld } from './helper.ts';

let world: TestWorld;
let app: FastifyInstance;
let prefix: string;
let topic: string;

beforeAll(async () => {
  world = await createTestWorld({ users: 5_000 });
  app = await world.app({ reservationTimeoutMs: 1_000, sweepIntervalMs: 200 });
  prefix = String(world.overrides.redisKeyPrefix);
  topic = couponIssueTopic(String(world.overrides.kafkaTopicPrefix));
});
afterAll(() => world?.cleanup());

const stats = async (): Promise<IssueConsumerStats> => (await app.inject({ url: '/health' })).json().consumer;
/**
 * Issues and waits until the consumer has finished with it — DB commit *and* Redis settle.
 * The status endpoint says ISSUED right after the commit, before the settle has run.
 */
const issueAndSettle = async (couponId: number, userId: number): Promise<{ requestId: string }> => {
  const before = (await stats()).issued;
  const accepted = await issue(app, couponId, userId);
  expect(accepted.statusCode).toBe(202);
  await waitFor(async () => (await stats()).issued > before, { what: `user ${userId} issued and settled` });
  expect(await status(couponId, userId)).toMatchObject({ status: 'ISSUED' });
  return accepted.json<{ requestId: string }>();
};
const status = async (couponId: number, userId: number) =>
  (await app.inject({ url: `/api/coupons/${couponId}/issues/${userId}` })).json();
const rejections = async (couponId: number) => {
  const [rows] = await world.pool.query<RowDataPacket[]>(
    'SELECT user_id, reason FROM coupon_issue_rejections WHERE coupon_id = ? ORDER BY user_id',
    [couponId],
  );
  return rows.map((r) => ({ userId: Number(r.user_id), reason: String(r.reason) }));
};

describe('redis-kafka: compensation when the database disagrees', () => {
  // Seed scenario "DB 품절": Redis believes 5 are left, the database only has 3.
  let soldOutCoupon: number;
  const soldOutUsers = [11, 12, 13, 14, 15];

  it('DB sold out: INCR + SREM + flag, so Redis and the database agree on the holders', async () => {
    soldOutCoupon = await world.createCoupon(3);
    await world.redis.set(couponKeys(prefix, soldOutCoupon).stock, '5');
    for (const u of soldOutUsers) expect((await issue(app, soldOutCoupon, u)).statusCode).toBe(202);

    await waitFor(async () => (await rejections(soldOutCoupon)).length === 2 && (await dbState(world.pool, soldOutCoupon)).userIds.length === 3, {
      what: '3 issued + 2 rejected',
    });
    // Wait for the compensation that follows the rejection rows.
    const redis = await waitFor(async () => {
      const r = await redisState(world.redis, prefix, soldOutCoupon);
      return r.members.length === 3 && r;
    });
    const db = await dbState(world.pool, soldOutCoupon);
    expect(db).toMatchObject({ issued: 3, total: 3 });
    expect(redis.members).toEqual(db.userIds);
    expect(redis.soldOut).toBe(true);
    // The two rejected reservations were given back (5 - 5 + 2); the flag now blocks them.
    expect(redis.stock).toBe(2);
    const rejected = soldOutUsers.filter((u) => !db.userIds.includes(u));
    expect(await rejections(soldOutCoupon)).toEqual(rejected.map((userId) => ({ userId, reason: 'SOLD_OUT' })));
    expect(await status(soldOutCoupon, rejected[0] ?? 0)).toMatchObject({ status: 'REJECTED', reason: 'SOLD_OUT' });
    const late = await issue(app, soldOutCoupon, 99);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('COUPON_SOLD_OUT');
  });

  it('DB duplicate (Redis lost the member): INCR, the holder stays in the set, still one row', async () => {
    const couponId = await world.createCoupon(5);
    await issueAndSettle(couponId, 21);
    // Redis forgets that user 21 holds the coupon (a flushed or rebuilt set).
    await world.redis.srem(couponKeys(prefix, couponId).issued, '21');
    const before = (await stats()).rejectedDuplicate;

    expect((await issue(app, couponId, 21)).statusCode).toBe(202);
    await waitFor(async () => (await stats()).rejectedDuplicate === before + 1, { what: 'duplicate rejection' });
    expect(await dbState(world.pool, couponId)).toMatchObject({ issued: 1, userIds: [21] });
    expect(await rejections(couponId)).toEqual([{ userId: 21, reason: 'DUPLICATE' }]);
    // The second reservation's stock was given back (5 - 1 issued = 4); the holder stays a member.
    expect(await redisState(world.redis, prefix, couponId)).toEqual({ stock: 4, members: [21], soldOut: false });
    expect(await status(couponId, 21)).toMatchObject({ status: 'ISSUED' });
  });

  it('a message delivered twice issues once and leaves the counters alone', async () => {
    const couponId = await world.createCoupon(5);
    const { requestId } = await issueAndSettle(couponId, 31);
    const redisBefore = await redisState(world.redis, prefix, couponId);
    const before = await stats();

    // Kafka redelivers the very same request (same requestId), e.g. after a rebalance.
    const [again] = encodeIssueRequests([{ requestId, couponId, userId: 31, requestedAt: new Date().toISOString() }], 1);
    await app.kafkaProducer.send(topic, again!);
    await waitFor(async () => (await stats()).alreadyApplied === before.alreadyApplied + 1, { what: 'redelivery seen' });

    expect(await dbState(world.pool, couponId)).toMatchObject({ issued: 1, userIds: [31] });
    expect(await redisState(world.redis, prefix, couponId)).toEqual(redisBefore);
    expect(redisBefore).toMatchObject({ stock: 4, members: [31] });
    expect((await stats()).rejectedDuplicate).toBe(before.rejectedDuplicate);
  });

  it('a rejected message delivered again does not compensate twice', async () => {
    const [rejected] = await world.pool.query<RowDataPacket[]>(
      'SELECT request_id, user_id FROM coupon_issue_rejections WHERE coupon_id = ? LIMIT 1',
      [soldOutCoupon],
    );
    const row = rejected[0];
    if (!row) throw new Error('the DB sold-out test must run first');
    const redisBefore = await redisState(world.redis, prefix, soldOutCoupon);
    const before = await stats();
    const msg = { requestId: String(row.request_id), couponId: soldOutCoupon, userId: Number(row.user_id), requestedAt: new Date().toISOString() };
    await app.kafkaProducer.send(topic, encodeIssueRequests([msg], 1)[0]!);
    await waitFor(async () => (await stats()).redeliveredRejections === before.redeliveredRejections + 1);
    expect(await redisState(world.redis, prefix, soldOutCoupon)).toEqual(redisBefore);
    expect((await dbState(world.pool, soldOutCoupon)).issued).toBe(3);
  });

  it('Kafka unreachable at request time: the 503 says the outcome is unknown, the reservation stays, a retry converges', async () => {
    const couponId = await world.createCoupon(5);
    expect((await issue(app, couponId, 41)).statusCode).toBe(202);
    await app.kafkaProducer.producer.disconnect();
    try {
      const r = await issue(app, couponId, 42);
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({ error: { code: 'KAFKA_UNAVAILABLE', message: expect.stringContaining('retrying is safe') } });
      // Not undone: a send that failed may still land, so 42's reservation stays pending.
      expect(await redisState(world.redis, prefix, couponId)).toEqual({ stock: 3, members: [41, 42], soldOut: false });
      expect((await status(couponId, 42)).status).toBe('PENDING');
    } finally {
      await app.kafkaProducer.producer.connect();
    }
    // A retry neither reserves again nor is lost: the pending request is the one that counts,
    // and the sweeper re-sends it (REF_RESERVATION_TIMEOUT_MS after it was accepted).
    const retry = await issue(app, couponId, 42);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.code).toBe('COUPON_ALREADY_ISSUED');
    await waitFor(async () => (await status(couponId, 42)).status === 'ISSUED', { what: '42 issued by the sweeper' });
    await waitFor(async () => (await world.redis.hlen(couponKeys(prefix, couponId).pending)) === 0, { what: 'settled' });
    expect(await dbState(world.pool, couponId)).toMatchObject({ issued: 2, userIds: [41, 42] });
    expect(await redisState(world.redis, prefix, couponId)).toEqual({ stock: 3, members: [41, 42], soldOut: false });
    expect(await rejections(couponId)).toEqual([]);
  });
});
