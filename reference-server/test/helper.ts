import { randomBytes } from 'node:crypto';
import { couponKeys, TABLES } from '@perf-lab/contract';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { buildApp } from '../src/app.ts';
import { createMysqlPool } from '../src/db/mysql-pool.ts';
import { loadConfig } from '../src/config.ts';
import type { AppConfig, ConfigOverrides } from '../src/config.ts';
import { createCoupon } from '../src/coupon/coupon-repository.ts';
import { migrate } from '../src/migrate.ts';

/**
 * The one test helper. Service addresses come from the server's own config (the lab's
 * PERF_LAB_* variables); every other setting is explicit, so a REF_* variable in the
 * developer's shell cannot change what a test asserts.
 */
export const lab: AppConfig = loadConfig();

export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

/** The config a test app runs with: the lab's addresses, then `overrides`, nothing from env. */
export function testConfig(overrides: ConfigOverrides): AppConfig {
  return loadConfig(
    { mysqlUrl: lab.mysql.url, redisUrl: lab.redis.url, kafkaBrokers: lab.kafka.brokers, migrateOnStart: false, ...overrides },
    {},
  );
}

/**
 * One isolated world per test file on the shared lab: its own database, Redis key prefix,
 * Kafka topic prefix and consumer group, all removed again by `cleanup()`.
 */
export interface TestWorld {
  readonly id: string;
  readonly mysqlUrl: string;
  readonly prefix: string;
  readonly topicPrefix: string;
  readonly overrides: ConfigOverrides;
  /** Direct access for assertions, independent of any app. */
  readonly pool: Pool;
  readonly redis: Redis;
  readonly apps: FastifyInstance[];
  /** The whole server (redis-kafka coupons, consumer, relay on) with this world's isolation. */
  app(overrides?: ConfigOverrides): Promise<FastifyInstance>;
  /**
   * For order tests: db-only coupons (no coupon topic, no consumer) and no outbox relay
   * unless asked for, since the relay tests drive relays themselves.
   */
  orderApp(overrides?: ConfigOverrides): Promise<FastifyInstance>;
  /** `app()`, listening on a free port of 127.0.0.1: for tests over real HTTP. */
  serve(overrides?: ConfigOverrides): Promise<{ app: FastifyInstance; url: string }>;
  createCoupon(total: number): Promise<number>;
  cleanup(): Promise<void>;
}

export interface TestWorldOptions {
  /** Users 1..n, with a zero balance (coupon issue answers 404 for a user that does not exist). */
  readonly users?: number;
}

export async function createTestWorld(options: TestWorldOptions = {}): Promise<TestWorld> {
  const id = uniqueSuffix();
  const database = `ref_test_${id}`;
  await adminQuery(`CREATE DATABASE \`${database}\``);
  const url = new URL(lab.mysql.url);
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
  const pool = createMysqlPool(mysqlUrl, 4);
  // MariaDB's sequence engine: one statement whatever n is.
  if (options.users) await pool.query(`INSERT INTO users (id, balance) SELECT seq, 0 FROM seq_1_to_${Math.floor(options.users)}`);
  const redis = new Redis(lab.redis.url);
  const apps: FastifyInstance[] = [];
  const build = async (extra: ConfigOverrides): Promise<FastifyInstance> => {
    const app = await buildApp(testConfig({ ...overrides, ...extra }));
    apps.push(app);
    return app;
  };
  return {
    id,
    mysqlUrl,
    prefix: `ref-test:${id}:`,
    topicPrefix: `ref-test-${id}.`,
    overrides,
    pool,
    redis,
    apps,
    app: (extra = {}) => build(extra),
    orderApp: (extra = {}) =>
      build({ couponStrategy: 'db-only', consumerEnabled: false, outboxRelay: false, mysqlPool: 20, logLevel: 'silent', ...extra }),
    async serve(extra = {}) {
      const app = await build(extra);
      return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
    },
    createCoupon: (total) => createCoupon(pool, { name: `test-${id}`, total }),
    async cleanup() {
      for (const app of apps) await app.close();
      await deleteKeys(redis, `${overrides.redisKeyPrefix}*`);
      await redis.quit();
      await pool.end();
      await adminQuery(`DROP DATABASE IF EXISTS \`${database}\``);
      await deleteKafkaLeftovers(`${overrides.kafkaTopicPrefix}`, `${overrides.consumerGroup}`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const conn = await mysql.createConnection(lab.mysql.url);
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** Never FLUSHALL a shared server: only this test's prefix. */
async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'ref-test', brokers: [...lab.kafka.brokers], logLevel: logLevel.NOTHING });
}

async function deleteKafkaLeftovers(prefix: string, group: string): Promise<void> {
  const admin = testKafka().admin();
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

/** A JSON request over real HTTP; the body is parsed when it is JSON. */
export async function http(
  url: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

export function issue(app: FastifyInstance, couponId: number, userId: number): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/api/coupons/${couponId}/issue`, payload: { userId } });
}

/** The coupon's counters and its holders, read in one statement so they come from one snapshot
 * (two queries could straddle a consumer commit and see the rows but not the counter). */
export async function dbState(pool: Pool, couponId: number, table: string = TABLES.userCoupons) {
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

export async function insertUser(pool: Pool, id: number, balance: number): Promise<void> {
  await pool.query('INSERT INTO users (id, balance) VALUES (?, ?)', [id, balance]);
}

export async function insertUsers(pool: Pool, ids: readonly number[], balance: number): Promise<void> {
  await pool.query('INSERT INTO users (id, balance) VALUES ?', [ids.map((id) => [id, balance])]);
}

export async function insertProduct(pool: Pool, price: number, quantity: number): Promise<number> {
  const [res] = await pool.query<ResultSetHeader>('INSERT INTO products (name, price, quantity) VALUES (?, ?, ?)', [
    `product-${uniqueSuffix()}`,
    price,
    quantity,
  ]);
  return res.insertId;
}

/** A coupon with `discount` off, held by `userId` (as part 1's issuance would leave it). */
export async function giveCoupon(pool: Pool, userId: number, discount: number): Promise<number> {
  const [res] = await pool.query<ResultSetHeader>(
    'INSERT INTO coupons (name, total, issued, discount_amount) VALUES (?, 1, 1, ?)',
    [`coupon-${uniqueSuffix()}`, discount],
  );
  await pool.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (?, ?)', [userId, res.insertId]);
  return res.insertId;
}

export async function scalar(pool: Pick<Pool, 'query'>, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(sql, params);
  const row = rows[0];
  return row ? Number(Object.values(row)[0] ?? 0) : 0;
}

export async function postOrder(
  app: FastifyInstance,
  body: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<{ statusCode: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/orders',
    payload: body,
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });
  return { statusCode: res.statusCode, body: res.json(), headers: res.headers };
}
