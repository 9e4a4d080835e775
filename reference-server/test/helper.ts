import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { ConfigOverrides } from '../src/config.ts';
import { createCoupon } from '../src/coupon/coupon-repository.ts';
import { couponKeys } from '../src/coupon/coupon-redis.ts';
import { migrate } from '../src/migrate.ts';

/**
 * One isolated world per test file on the shared lab: its own database, Redis key prefix,
 * Kafka topic prefix and consumer group, all removed again by `cleanup()`.
 */
export interface TestWorld {
  readonly id: string;
  readonly mysqlUrl: string;
  readonly overrides: ConfigOverrides;
  /** Direct access for assertions, independent of any app. */
  readonly pool: Pool;
  readonly redis: Redis;
  readonly apps: FastifyInstance[];
  app(overrides?: ConfigOverrides): Promise<FastifyInstance>;
  createCoupon(total: number): Promise<number>;
  cleanup(): Promise<void>;
}

export async function createTestWorld(): Promise<TestWorld> {
  const base = loadConfig();
  const id = randomBytes(4).toString('hex');
  const database = `ref_test_${id}`;
  const admin = await mysql.createConnection(base.mysql.url);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(base.mysql.url);
  url.pathname = `/${database}`;
  const mysqlUrl = url.toString();
  const { error } = await migrate(mysqlUrl);
  if (error) throw error;

  const overrides: ConfigOverrides = {
    mysqlUrl,
    redisKeyPrefix: `ref-test:${id}:`,
    kafkaTopicPrefix: `ref-test-${id}.`,
    consumerGroup: `ref-test-${id}`,
    logLevel: 'error',
  };
  const pool = mysql.createPool({ uri: mysqlUrl, connectionLimit: 4 });
  const redis = new Redis(base.redis.url);
  const apps: FastifyInstance[] = [];
  return {
    id,
    mysqlUrl,
    overrides,
    pool,
    redis,
    apps,
    async app(extra = {}) {
      const app = await buildApp({ ...overrides, ...extra });
      apps.push(app);
      return app;
    },
    createCoupon: (total) => createCoupon(pool, { name: `test-${id}`, total }),
    async cleanup() {
      for (const app of apps) await app.close();
      const keys = await scanKeys(redis, `${overrides.redisKeyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await pool.end();
      const dropper = await mysql.createConnection(base.mysql.url);
      await dropper.query(`DROP DATABASE IF EXISTS ${database}`);
      await dropper.end();
      await deleteKafkaLeftovers(base.kafka.brokers, `${overrides.kafkaTopicPrefix}`, `${overrides.consumerGroup}`);
    },
  };
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function deleteKafkaLeftovers(brokers: readonly string[], prefix: string, group: string): Promise<void> {
  const admin = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.deleteGroups([group]).catch(() => undefined); // absent when no consumer ran
  } finally {
    await admin.disconnect();
  }
}

/** Polls until `check` returns a value other than undefined/false; never a fixed sleep. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function issue(app: FastifyInstance, couponId: number, userId: number): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/api/coupons/${couponId}/issue`, payload: { userId } });
}

/** The coupon's counters and its holders, read in one statement so they come from one snapshot
 * (two queries could straddle a consumer commit and see the rows but not the counter). */
export async function dbState(pool: Pool, couponId: number, table = 'user_coupons') {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT c.total, c.issued, u.user_id FROM coupons c LEFT JOIN ${table} u ON u.coupon_id = c.id WHERE c.id = ? ORDER BY u.user_id`,
    [couponId],
  );
  const coupon = rows[0];
  return {
    issued: Number(coupon?.issued),
    total: Number(coupon?.total),
    userIds: rows.filter((r) => r.user_id !== null).map((r) => Number(r.user_id)),
  };
}

export async function redisState(redis: Redis, prefix: string, couponId: number) {
  const k = couponKeys(prefix, couponId);
  const [stock, members, soldOut] = await Promise.all([redis.get(k.stock), redis.smembers(k.issued), redis.exists(k.soldOut)]);
  return {
    stock: stock === null ? null : Number(stock),
    members: members.map(Number).sort((a, b) => a - b),
    soldOut: soldOut === 1,
  };
}
