import path from 'node:path';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { orderLockKeys } from '@perf-lab/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seed, startReferenceServer, type RunningServer } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * The per-user lock and its fencing token across server processes, driven over real HTTP:
 * many orders of the same users spread over three instances lose no balance update, and a
 * holder whose lease ran out while it stalled is stopped by the fence once another instance
 * took the lock and wrote.
 */
describe('the order lock across three instances', () => {
  let db: TestDatabase;
  let pool: mysql.Pool;
  let server: RunningServer | undefined;
  const PRICE = 10_000;

  beforeAll(async () => {
    db = await createTestDatabase('instlock');
    pool = mysql.createPool({ uri: db.config.mysql.url, connectionLimit: 2 });
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const order = async (url: string, userId: number, key: string) => {
    const res = await fetch(`${url}/api/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ userId, items: [{ productId: 1, quantity: 1 }] }),
    });
    return { status: res.status, body: (await res.json()) as { paidAmount?: number; error?: { code: string; message: string } } };
  };
  const balances = async (ids: readonly number[]) => {
    const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT id, balance, fence FROM users WHERE id IN (?) ORDER BY id', [ids]);
    return new Map(rows.map((r) => [Number(r['id']), { balance: Number(r['balance']), fence: Number(r['fence']) }]));
  };
  const ordersOf = async (userId: number) => {
    const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n, COALESCE(SUM(paid_amount), 0) AS paid FROM orders WHERE user_id = ?', [userId]);
    const [ledger] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM balance_history WHERE user_id = ?', [userId]);
    return { orders: Number(rows[0]!['n']), paid: Number(rows[0]!['paid']), ledger: Number(ledger[0]!['n']) };
  };

  it('120 simultaneous orders of 6 users, round-robin over 3 instances: every 201 charged exactly once, none lost', async () => {
    server = await startReferenceServer(db.config, {}, { instances: 3, logFile: path.join(db.config.stateDir, 'server.log') });
    await seed(db.config, { plan: { users: 20, couponStock: 10, productStock: 10_000, price: PRICE } });
    const users = [1, 2, 3, 4, 5, 6];
    const before = await balances(users);
    const requests = Array.from({ length: 120 }, (_, i) => ({ user: users[i % users.length]!, url: server!.urls[i % 3]!, key: `burst-${i}` }));
    const answers = await Promise.all(requests.map((r) => order(r.url, r.user, r.key).then((a) => ({ ...r, ...a }))));
    // Lock waits may run out under this contention (409 LOCK_TIMEOUT, nothing charged); nothing else may happen.
    expect(answers.filter((a) => a.status !== 201 && a.body.error?.code !== 'LOCK_TIMEOUT')).toEqual([]);
    const after = await balances(users);
    for (const user of users) {
      const acked = answers.filter((a) => a.user === user && a.status === 201);
      expect(acked.length).toBeGreaterThan(0);
      const charged = acked.reduce((sum, a) => sum + (a.body.paidAmount ?? 0), 0);
      expect(charged).toBe(acked.length * PRICE);
      // A lost update would leave the balance above start - charged; a double charge below it.
      expect({ user, balance: after.get(user)!.balance }).toEqual({ user, balance: before.get(user)!.balance - charged });
      expect(await ordersOf(user)).toEqual({ orders: acked.length, paid: charged, ledger: acked.length });
      // Each committed order took a new, larger token.
      expect(after.get(user)!.fence).toBeGreaterThanOrEqual(before.get(user)!.fence + acked.length);
    }
  }, 90_000);

  it('a holder on instance 1 stalls past its lease; instance 2 takes the lock and charges; the fence refuses the stale write', async () => {
    // Instance 1 stalls 2.5 s after taking a lock, its watchdog with it; leases last 500 ms.
    server = await startReferenceServer(db.config, { REF_LOCK_LEASE_MS: '500' }, {
      instances: 3, logFile: path.join(db.config.stateDir, 'server.log'),
      instanceSettings: (i) => (i === 1 ? { REF_TEST_HOLDER_PAUSE_MS: '2500' } : {}),
    });
    await seed(db.config, { plan: { users: 20, couponStock: 10, productStock: 10_000, price: PRICE } });
    const user = 7;
    const before = (await balances([user])).get(user)!;
    const redis = new Redis(db.config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      const stale = order(server.urls[0]!, user, 'stale-holder');
      // Instance 1 holds the lock (its token is the next fence) before instance 2 asks.
      const lockKey = orderLockKeys(db.config.redisKeyPrefix, 'user', user)!.lock;
      for (const until = Date.now() + 10_000; Date.now() < until && (await redis.exists(lockKey)) === 0;) await new Promise((r) => setTimeout(r, 20));
      expect(await redis.exists(lockKey)).toBe(1);
      const fresh = await order(server.urls[1]!, user, 'fresh-holder');
      expect(fresh.status).toBe(201);
      const staleAnswer = await stale;
      expect(staleAnswer.status).toBe(409);
      expect(staleAnswer.body.error?.code).toBe('LOCK_LOST');
      // Refused, and the answer names the later holder's larger token (the fence in the users
      // row), not only the stalled holder's own clock.
      expect(staleAnswer.body.error?.message).toMatch(/a later holder wrote with fencing token (\d+) \(this request held (\d+)\)/);
      const [, current, held] = /token (\d+) \(this request held (\d+)\)/.exec(staleAnswer.body.error!.message)!;
      expect(Number(current)).toBeGreaterThan(Number(held));
    } finally {
      redis.disconnect();
    }
    const after = (await balances([user])).get(user)!;
    expect(after.balance).toBe(before.balance - PRICE);
    expect(await ordersOf(user)).toMatchObject({ orders: 1, paid: PRICE });
  }, 90_000);
});
