import { orderLockKeys, orderLockReleaseChannel as lockReleaseChannel } from '@perf-lab/contract';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedLock } from '../../src/order/lock/distributed-lock.ts';
import type { LockKeys } from '../../src/order/lock/distributed-lock.ts';
import { LockWakeUps } from '../../src/order/lock/lock-wake-ups.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { AppError } from '../../src/errors.ts';
import { runOrderTransaction } from '../../src/order/order-transaction.ts';
import { createTestWorld, insertProduct, insertUser, lab, postOrder, scalar, waitFor } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

let prefix: string;
let redis: Redis;
let subscriber: Redis;
let wakeUps: LockWakeUps;
let world: TestWorld;
let app: FastifyInstance;

const lockWith = (leaseMs: number, waitMs: number): DistributedLock => new DistributedLock(redis, wakeUps, { leaseMs, waitMs });
const keysFor = (userId: number): LockKeys => orderLockKeys(prefix, 'user', userId) as LockKeys;

beforeAll(async () => {
  world = await createTestWorld();
  prefix = world.prefix;
  redis = new Redis(lab.redis.url);
  subscriber = new Redis(lab.redis.url);
  wakeUps = new LockWakeUps(subscriber, lockReleaseChannel(prefix));
  await wakeUps.start();
  app = await world.orderApp({ lockWaitMs: 300, lockLeaseMs: 2_000 });
});

afterAll(async () => {
  await world?.cleanup();
  await wakeUps.stop();
  subscriber.disconnect();
  redis.disconnect();
});

describe('order lock', () => {
  it('a holder whose work outlives the lease keeps the lock (renewal)', async () => {
    const keys = keysFor(1);
    const first = await lockWith(300, 0).acquire(keys);
    if (!first.acquired) throw new Error('expected the lock');
    const started = Date.now();
    // Three leases' worth of "work"; the lock must still be ours, with a live TTL, throughout.
    await waitFor(async () => {
      expect(await redis.get(keys.lock)).toBe(first.lock.token);
      return Date.now() - started > 900;
    }, { timeoutMs: 5_000, what: 'three leases of work' });
    expect(first.lock.isHeld()).toBe(true);
    expect((await lockWith(300, 0).acquire(keys)).acquired).toBe(false);
    expect(await first.lock.release()).toBe(true);
    expect(await redis.exists(keys.lock)).toBe(0);
  });

  it("a crashed holder's lock expires; the next holder gets a larger fencing token", async () => {
    const keys = keysFor(2);
    // renew: false models a process that died right after acquiring (no watchdog any more).
    const crashed = await lockWith(200, 0).acquire(keys, { renew: false });
    if (!crashed.acquired) throw new Error('expected the lock');
    const next = await lockWith(200, 2_000).acquire(keys);
    if (!next.acquired) throw new Error('the lock should have expired and been taken');
    expect(next.lock.fence).toBeGreaterThan(crashed.lock.fence);
    expect(crashed.lock.isHeld()).toBe(false);
    await next.lock.release();
  });

  it('acquisitions and releases asked for at the same time share one script call each, each decided as if alone', async () => {
    const counted = redis.duplicate();
    const lock = new DistributedLock(counted, wakeUps, { leaseMs: 5_000, waitMs: 0 });
    const calls = { acquire: 0, release: 0 };
    const acquire = counted.orderLockAcquire.bind(counted);
    const release = counted.orderLockRelease.bind(counted);
    counted.orderLockAcquire = (...args: Parameters<typeof acquire>) => ((calls.acquire += 1), acquire(...args));
    counted.orderLockRelease = (...args: Parameters<typeof release>) => ((calls.release += 1), release(...args));
    try {
      // Users 20..39, and user 20 a second time: that one is refused, the lock being taken.
      const users = [...Array.from({ length: 20 }, (_, i) => 20 + i), 20];
      const results = await Promise.all(users.map((u) => lock.acquire(keysFor(u))));
      expect(calls.acquire).toBe(1);
      expect(results.map((r) => r.acquired)).toEqual([...Array(20).fill(true), false]);
      const handles = results.flatMap((r) => (r.acquired ? [r.lock] : []));
      expect(handles.every((h) => h.fence > 0)).toBe(true);
      expect(await Promise.all(handles.map((h) => h.release()))).toEqual(Array(20).fill(true));
      expect(calls.release).toBe(1);
      for (const u of users) expect(await redis.exists(keysFor(u).lock)).toBe(0);
    } finally {
      counted.disconnect();
    }
  });

  it('release by a non-owner is a no-op', async () => {
    const keys = keysFor(3);
    const owner = await lockWith(5_000, 0).acquire(keys);
    if (!owner.acquired) throw new Error('expected the lock');
    expect(await redis.orderLockRelease(1, keys.lock, lockReleaseChannel(prefix), 'someone-else')).toEqual([0]);
    expect(await redis.get(keys.lock)).toBe(owner.lock.token);
    expect(await owner.lock.release()).toBe(true);
    // Releasing twice is harmless, and never throws.
    expect(await owner.lock.release()).toBe(false);
  });

  it('a waiter is woken by the release well before its wait runs out', async () => {
    const keys = keysFor(4);
    const holder = await lockWith(5_000, 0).acquire(keys);
    if (!holder.acquired) throw new Error('expected the lock');
    const waiting = lockWith(5_000, 4_000).acquire(keys);
    setTimeout(() => void holder.lock.release(), 100);
    const started = Date.now();
    const got = await waiting;
    expect(got.acquired).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    if (got.acquired) await got.lock.release();
  });

  it('a release announces itself only when someone waited: an uncontended order sends no message', async () => {
    const channel = lockReleaseChannel(prefix);
    const heard: string[] = [];
    const listener = new Redis(lab.redis.url);
    listener.on('message', (from: string, key: string) => {
      if (from === channel) heard.push(key);
    });
    await listener.subscribe(channel);
    try {
      const quiet = keysFor(5);
      const alone = await lockWith(5_000, 0).acquire(quiet);
      if (!alone.acquired) throw new Error('expected the lock');
      expect(await alone.lock.release()).toBe(true);

      const contended = keysFor(6);
      const holder = await lockWith(5_000, 0).acquire(contended);
      if (!holder.acquired) throw new Error('expected the lock');
      // A refused attempt marks the lock; the holder still owns it, renews and releases it.
      expect((await lockWith(5_000, 0).acquire(contended)).acquired).toBe(false);
      expect(await redis.get(contended.lock)).toBe(`${holder.lock.token}+`);
      expect(await redis.orderLockExtend(contended.lock, holder.lock.token, '5000')).toBe(1);
      expect(await holder.lock.release()).toBe(true);
      await waitFor(() => heard.length > 0, { timeoutMs: 5_000, what: 'the contended release message' });
      // Both releases went through the same channel in order: only the contended one was sent.
      expect(heard).toEqual([contended.lock]);
    } finally {
      listener.disconnect();
    }
  });

  it('a holder paused past its lease is refused by the fencing check and rolls back', async () => {
    const userId = 10;
    await insertUser(app.mysql, userId, 100_000);
    const productId = await insertProduct(app.mysql, 1_000, 50);
    const keys = keysFor(userId);
    const paused = await lockWith(200, 0).acquire(keys, { renew: false });
    if (!paused.acquired) throw new Error('expected the lock');
    // While it "pauses" (GC, VM stall), the lease ends and another holder orders for the user.
    const next = await lockWith(5_000, 3_000).acquire(keys);
    if (!next.acquired) throw new Error('expected the lock after expiry');
    const order = { userId, items: [{ productId, quantity: 1 }], couponId: null, idempotencyKey: null };
    await withTransaction(app.mysql, (tx) => runOrderTransaction(tx, order, next.lock), { retries: 0 });
    await next.lock.release();

    // The paused holder wakes up and writes with its old token. Its own clock is not
    // consulted here (isHeld forced true): the database alone must refuse it.
    const stale = { fence: paused.lock.fence, isHeld: () => true };
    const attempt = withTransaction(app.mysql, (tx) => runOrderTransaction(tx, order, stale), { retries: 0 });
    await expect(attempt).rejects.toMatchObject({ code: 'LOCK_LOST' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    expect(await scalar(app.mysql, 'SELECT COUNT(*) FROM orders WHERE user_id = ?', [userId])).toBe(1);
    expect(await scalar(app.mysql, 'SELECT quantity FROM products WHERE id = ?', [productId])).toBe(49);
    expect(await scalar(app.mysql, 'SELECT balance FROM users WHERE id = ?', [userId])).toBe(99_000);
  });

  it('a lock that cannot be had in time is a 409 LOCK_TIMEOUT, not a 500', async () => {
    const userId = 11;
    await insertUser(app.mysql, userId, 100_000);
    const productId = await insertProduct(app.mysql, 1_000, 50);
    const holder = await lockWith(5_000, 0).acquire(keysFor(userId));
    if (!holder.acquired) throw new Error('expected the lock');
    const res = await postOrder(app, { userId, items: [{ productId, quantity: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'LOCK_TIMEOUT' } });
    await holder.lock.release();
    expect((await postOrder(app, { userId, items: [{ productId, quantity: 1 }] })).statusCode).toBe(201);
  });

  it('a fence counter lost in Redis is repaired by the holder instead of refusing the user forever', async () => {
    const userId = 12;
    await insertUser(app.mysql, userId, 100_000);
    const productId = await insertProduct(app.mysql, 1_000, 50);
    expect((await postOrder(app, { userId, items: [{ productId, quantity: 1 }] })).statusCode).toBe(201);
    // Redis restarted without persistence: the counter starts again below what MySQL has seen.
    await app.mysql.query('UPDATE users SET fence = 1000 WHERE id = ?', [userId]);
    await redis.del(keysFor(userId).fence);
    const res = await postOrder(app, { userId, items: [{ productId, quantity: 1 }] });
    expect(res.statusCode).toBe(201);
    expect(await scalar(app.mysql, 'SELECT fence FROM users WHERE id = ?', [userId])).toBeGreaterThan(1000);
    expect(Number(await redis.get(keysFor(userId).fence))).toBeGreaterThan(1000);
  });
});
