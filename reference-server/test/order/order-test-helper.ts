import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { buildApp } from '../../src/app.ts';
import { migrate } from '../../src/migrate.ts';
import type { OrderConfig } from '../../src/order/order-config.ts';

/**
 * Integration-test scaffolding for the order system: a private database per test file, a
 * unique Redis key prefix and Kafka topic, and the app as `buildApp` builds it for the server.
 * Nothing is mocked; waiting is by polling.
 */
export const MYSQL_ROOT = process.env.PERF_LAB_MYSQL_URL ?? 'mysql://perflab:perflab@127.0.0.1:13306/perf_lab';
export const REDIS_URL = process.env.PERF_LAB_REDIS_URL ?? 'redis://127.0.0.1:16379';
export const KAFKA_BROKERS = process.env.PERF_LAB_KAFKA_BROKERS ?? '127.0.0.1:19092';

export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ref_order_test_${uniqueSuffix()}`;
  const admin = await mysql.createConnection(MYSQL_ROOT);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = new URL(MYSQL_ROOT);
  url.pathname = `/${name}`;
  const { error } = await migrate(url.toString());
  if (error) throw error;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const conn = await mysql.createConnection(MYSQL_ROOT);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export interface TestAppOptions {
  readonly dbUrl: string;
  readonly keyPrefix: string;
  readonly order?: Partial<OrderConfig>;
  readonly mysqlPool?: number;
  /** Runs the app's own outbox relay, publishing to this topic. */
  readonly relayTopic?: string;
}

export async function buildOrderApp(opts: TestAppOptions): Promise<FastifyInstance> {
  return buildApp(
    {
      mysqlUrl: opts.dbUrl,
      mysqlPool: opts.mysqlPool ?? 20,
      redisUrl: REDIS_URL,
      redisKeyPrefix: opts.keyPrefix,
      kafkaBrokers: KAFKA_BROKERS,
      logLevel: 'silent',
      // db-only keeps the coupon feature off Kafka: redis-kafka would create the shared,
      // unprefixed coupon topic on the lab from every order test file.
      couponStrategy: 'db-only',
      migrateOnStart: false,
      consumerEnabled: false,
    },
    // No env: a REF_LOCK_SCOPE in the developer's shell must not change what the tests assert.
    {},
    {
      order: { ...opts.order, ...(opts.relayTopic ? { outboxTopic: opts.relayTopic } : {}) },
      outboxRelay: opts.relayTopic !== undefined,
    },
  );
}

/** Removes this test's keys (fence counters outlive their locks by design). Never FLUSHALL a shared server. */
export async function deleteRedisKeys(app: FastifyInstance, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await app.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await app.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
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

export async function scalar(pool: Pool, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(sql, params);
  const row = rows[0];
  return row ? Number(Object.values(row)[0] ?? 0) : 0;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
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
