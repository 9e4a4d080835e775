import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '../../src/config.ts';
import { migrate } from '../../src/migrate.ts';
import { loadOrderConfig } from '../../src/order/order-config.ts';
import type { OrderConfig } from '../../src/order/order-config.ts';
import { orderPlugin } from '../../src/order/order-plugin.ts';
import { kafkaPlugin } from '../../src/plugins/kafka.ts';
import { mysqlPlugin } from '../../src/plugins/mysql.ts';
import { redisPlugin } from '../../src/plugins/redis.ts';

/**
 * Integration-test scaffolding for the order system: a private database per test file, a
 * unique Redis key prefix and Kafka topic, the app's real infrastructure plugins and the
 * order plugin. Nothing is mocked; waiting is by polling.
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
  /** Registers the kafka plugin and runs the outbox relay. */
  readonly relayTopic?: string;
}

export async function buildOrderApp(opts: TestAppOptions): Promise<FastifyInstance> {
  // The same request-parsing options as buildApp in src/app.ts (no ajv coercion, no stripping,
  // JSON bodies only), so the routes are tested as the real server runs them.
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    bodyLimit: 64 * 1024,
  });
  app.removeContentTypeParser('text/plain');
  const config = loadConfig(
    {
      mysqlUrl: opts.dbUrl,
      mysqlPool: opts.mysqlPool ?? 20,
      redisUrl: REDIS_URL,
      redisKeyPrefix: opts.keyPrefix,
      kafkaBrokers: KAFKA_BROKERS,
      migrateOnStart: false,
      consumerEnabled: false,
    },
    {},
  );
  app.decorate('config', config);
  await app.register(mysqlPlugin);
  await app.register(redisPlugin);
  if (opts.relayTopic) await app.register(kafkaPlugin);
  const orderConfig = loadOrderConfig({}, { ...opts.order, ...(opts.relayTopic ? { outboxTopic: opts.relayTopic } : {}) });
  await app.register(orderPlugin, { config: orderConfig, keyPrefix: opts.keyPrefix, relay: opts.relayTopic !== undefined });
  await app.ready();
  return app;
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
