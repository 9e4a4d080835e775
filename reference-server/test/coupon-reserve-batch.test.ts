import { couponKeys, couponPendingIndexKey } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { CouponRedis, defineCouponCommands } from '../src/coupon/coupon-redis.ts';
import { createTestWorld } from './helper.ts';
import type { TestWorld } from './helper.ts';

let world: TestWorld;
let couponRedis: CouponRedis;
let prefix: string;
let client: Redis;
/** Reserve script calls sent by this file's client (a real one, counted on the way out). */
let scriptCalls = 0;

beforeAll(async () => {
  world = await createTestWorld();
  prefix = String(world.overrides.redisKeyPrefix);
  client = world.redis.duplicate();
  defineCouponCommands(client);
  const send = client.couponReserve.bind(client);
  client.couponReserve = (...args: Parameters<typeof send>) => ((scriptCalls += 1), send(...args));
  couponRedis = new CouponRedis(client, prefix);
});
afterAll(async () => {
  client?.disconnect();
  await world?.cleanup();
});

const requestId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('CouponRedis.reserve, batched', () => {
  it('reservations asked in one tick share one script call per coupon, each answered as if alone', async () => {
    const [a, b] = [9001, 9002];
    await couponRedis.initStock(a, 150);
    await couponRedis.initStock(b, 1);
    const before = scriptCalls;
    const users = Array.from({ length: 200 }, (_, i) => i + 1);
    const [onA, onB, again] = await Promise.all([
      Promise.all(users.map((u) => couponRedis.reserve(a, u, requestId(u)))),
      Promise.all([1, 2].map((u) => couponRedis.reserve(b, u, requestId(1000 + u)))),
      // User 7 asks coupon a twice in the same batch: the second sees the first's reservation pending.
      couponRedis.reserve(a, 7, requestId(7000)),
    ]);
    expect(scriptCalls - before).toBe(2);
    expect(onA.slice(0, 150).every((r) => r.outcome === 'reserved')).toBe(true);
    expect(onA.slice(150).map((r) => r.outcome)).toEqual(Array(50).fill('sold-out'));
    expect(onA[6]).toEqual({ outcome: 'reserved', requestId: requestId(7) });
    expect(again).toEqual({ outcome: 'pending', requestId: requestId(7) });
    expect(onB.map((r) => r.outcome)).toEqual(['reserved', 'sold-out']);
    const k = couponKeys(prefix, a);
    expect(await world.redis.scard(k.issued)).toBe(150);
    expect(await world.redis.get(k.stock)).toBe('0');
    expect(await world.redis.hlen(k.pending)).toBe(150);
  });

  it('a coupon whose stock is not loaded answers stock-unknown and reserves nothing', async () => {
    const r = await couponRedis.reserve(9003, 1, requestId(1));
    expect(r).toEqual({ outcome: 'stock-unknown' });
    expect(await world.redis.exists(couponKeys(prefix, 9003).issued)).toBe(0);
  });

  it('a reservation puts its pending hash in the index; settling the last entry takes it out', async () => {
    const id = 9004;
    const index = couponPendingIndexKey(prefix);
    const { pending } = couponKeys(prefix, id);
    await couponRedis.initStock(id, 5);
    await Promise.all([couponRedis.reserve(id, 1, requestId(41)), couponRedis.reserve(id, 2, requestId(42))]);
    expect(await world.redis.sismember(index, pending)).toBe(1);
    expect(await couponRedis.couponsWithPending()).toContain(id);
    await couponRedis.settle(id, [{ op: 'issued', userId: 1, requestId: requestId(41) }]);
    expect(await world.redis.sismember(index, pending)).toBe(1);
    await couponRedis.settle(id, [{ op: 'sold-out', userId: 2, requestId: requestId(42) }]);
    expect(await world.redis.sismember(index, pending)).toBe(0);
    expect(await couponRedis.couponsWithPending()).not.toContain(id);
  });

  it('a pending hash written without the index is found by the keyspace scan, not by the index', async () => {
    const id = 9005;
    await world.redis.hset(couponKeys(prefix, id).pending, '7', `${requestId(7)}|1`);
    expect(await couponRedis.couponsWithPending()).not.toContain(id);
    expect(await couponRedis.couponsWithPending(true)).toContain(id);
  });

  it("a coupon whose script call fails fails only its own requests, not the other coupons' in the batch", async () => {
    const [broken, fine] = [9006, 9007];
    // A stock counter that is not a number: DECR fails inside the script, for this coupon only.
    await world.redis.set(couponKeys(prefix, broken).stock, 'not-a-number');
    await couponRedis.initStock(fine, 5);
    const [a, b] = await Promise.allSettled([couponRedis.reserve(broken, 1, requestId(61)), couponRedis.reserve(fine, 1, requestId(62))]);
    expect(a.status).toBe('rejected');
    expect(b).toEqual({ status: 'fulfilled', value: { outcome: 'reserved', requestId: requestId(62) } });
  });

  it('a batch that reserves nothing leaves the pending index alone', async () => {
    const id = 9008;
    await couponRedis.initStock(id, 0);
    expect((await couponRedis.reserve(id, 1, requestId(71))).outcome).toBe('sold-out');
    expect(await world.redis.sismember(couponPendingIndexKey(prefix), couponKeys(prefix, id).pending)).toBe(0);
  });
});
