import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { couponKeys } from '@perf-lab/contract';
import { readManifest, seed } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

describe('perf-lab seed', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let redis: Redis;

  beforeAll(async () => {
    db = await createTestDatabase('seed');
    conn = await mysql.createConnection(db.config.mysql.url);
    redis = new Redis(db.config.redis.url);
  });
  afterAll(async () => {
    await conn?.end();
    redis?.disconnect();
    await db?.drop();
  });

  const count = async (sql: string): Promise<number> => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
    return Number(Object.values(rows[0] ?? {})[0]);
  };

  it('loads users, coupons, products and carts, primes Redis and writes the manifest', async () => {
    const progress: string[] = [];
    const result = await seed(db.config, {
      plan: { users: 2000, couponStock: 500, orderCouponHolders: 200, products: 10, productStock: 300 },
      onProgress: (l) => progress.push(l),
    });
    expect(result).toMatchObject({ users: 2000, coupons: 2, products: 10 });
    expect(progress.some((l) => l.startsWith('cart_items: 6,000 rows'))).toBe(true);
    expect(await count('SELECT COUNT(*) FROM users WHERE balance = 1000000')).toBe(2000);
    expect(await count('SELECT COUNT(*) FROM carts')).toBe(2000);
    expect(await count('SELECT COUNT(*) FROM cart_items WHERE product_id IN (1, 4, 7) AND quantity = 2')).toBe(6000);
    expect(await count('SELECT SUM(quantity) FROM products')).toBe(3000);
    expect(await count('SELECT total - issued FROM coupons WHERE id = 1')).toBe(500);
    expect(await count('SELECT COUNT(*) FROM user_coupons WHERE coupon_id = 2')).toBe(200);

    const first = couponKeys(db.config.redisKeyPrefix, 1);
    const second = couponKeys(db.config.redisKeyPrefix, 2);
    expect(await redis.get(first.stock)).toBe('500');
    expect(await redis.scard(first.issued)).toBe(0);
    expect(await redis.exists(first.soldOut)).toBe(0);
    expect(await redis.scard(second.issued)).toBe(200);
    expect(await redis.get(second.stock)).toBe('0');

    const manifest = readManifest(result.manifestFile);
    expect(manifest.balanceRule).toEqual({ firstUser: 1, lastUser: 2000, initialBalance: 1_000_000 });
    expect(manifest.products).toHaveLength(10);
  });

  it('resets what a previous run left behind', async () => {
    await conn.query('UPDATE products SET quantity = 1 WHERE id = 1');
    await conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (7, 1)');
    await redis.sadd(couponKeys(db.config.redisKeyPrefix, 1).issued, '7');
    await redis.set(couponKeys(db.config.redisKeyPrefix, 1).soldOut, '1');
    await seed(db.config, { plan: { users: 100, couponStock: 50, orderCouponHolders: 10, productStock: 300 } });
    expect(await count('SELECT COUNT(*) FROM users')).toBe(100);
    expect(await count('SELECT quantity FROM products WHERE id = 1')).toBe(300);
    expect(await count('SELECT COUNT(*) FROM user_coupons WHERE coupon_id = 1')).toBe(0);
    expect(await redis.scard(couponKeys(db.config.redisKeyPrefix, 1).issued)).toBe(0);
    expect(await redis.exists(couponKeys(db.config.redisKeyPrefix, 1).soldOut)).toBe(0);
  });

  it('rejects a plan that cannot be seeded, changing nothing', async () => {
    await expect(seed(db.config, { plan: { users: 10, orderCouponHolders: 20 } })).rejects.toThrow('orderCouponHolders (20) exceeds users (10)');
    expect(await count('SELECT COUNT(*) FROM users')).toBe(100);
  });
});
