import type mysql from 'mysql2/promise';
import type { Redis } from 'ioredis';
import { formatId, type IdFormats } from '@perf-lab/contract';
import { couponKey, type SchemaMap } from '../config/schema-map.ts';
import { sqlId } from '../audit/check-declarations.ts';
import { loadRows } from '../db/load-data.ts';
import { ConfigError } from '../errors.ts';
import { FIRST_COME_COUPON_ID, ORDER_COUPON_ID, type SeedPlan } from './seed-plan.ts';

/**
 * `perf-lab seed` on a declared schema: the same plan as the reference seed, written through the
 * schema map in the system's own tables, columns and id formats — users with their balance,
 * the first-come coupon and the order coupon (held by the first users), products with stock and
 * price, and the declared Redis keys (stock counters, dedupe sets, sold-out flags). Columns the
 * map does not name take their defaults; a table whose other columns have none cannot be seeded
 * this way, and the error says to seed it your own way and write the manifest instead.
 */
export async function seedThroughMapping(
  pool: mysql.Pool, redis: Redis, schema: SchemaMap, ids: IdFormats, prefix: string, plan: SeedPlan, onStep: (step: string) => void,
): Promise<void> {
  const { users, coupons, holders, products } = schema;
  if (!users) throw new ConfigError('the declared schema has no `users`: perf-lab cannot seed it — seed your own way and write the seed manifest (docs/your-own-system.md#seeding)');
  const holdings = holders?.tables[0];
  const user = (i: number) => formatId(ids.user, i + 1);
  const couponRows = [[FIRST_COME_COUPON_ID, plan.couponStock, 0], [ORDER_COUPON_ID, plan.orderCouponHolders, plan.orderCouponHolders]] as const;
  const loads: Load[] = [
    { table: users.table, columns: [users.id, users.balance], count: plan.users, row: (i) => [user(i), plan.initialBalance] },
    ...(coupons ? [{ table: coupons.table, columns: [coupons.id, coupons.total, coupons.issued], count: couponRows.length,
      row: (i: number) => [formatId(ids.coupon, couponRows[i]![0]), couponRows[i]![1], couponRows[i]![2]] }] : []),
    ...(holders && holdings ? [{ table: holdings, columns: [holders.userId, holders.couponId], count: plan.orderCouponHolders,
      row: (i: number) => [user(i), formatId(ids.coupon, ORDER_COUPON_ID)] }] : []),
    ...(products ? [{ table: products.table, columns: [products.id, products.stock, ...(products.price ? [products.price] : [])], count: plan.products,
      row: (i: number) => [formatId(ids.product, i + 1), plan.productStock, ...(products.price ? [plan.productPrice] : [])] }] : []),
  ];
  const conn = await pool.getConnection();
  try {
    // Checked before anything is reset: a seed that cannot be written leaves the tables as they were.
    for (const load of loads) await refuseUnfillable(conn, load);
    await conn.query('SET foreign_key_checks = 0');
    if (!plan.keep) {
      // Everything a run writes, then what the seed writes: the mapped tables only (those declared,
      // and the reference ones a declaration leaves in place — the seed writes those too).
      const mapped = new Set([...(holders?.tables ?? []), ...[schema.orderItems, schema.payments, schema.ledger, schema.outbox, schema.orders, users, coupons, products]
        .flatMap((m) => (m ? [m.table] : []))]);
      for (const table of mapped) await conn.query(`TRUNCATE TABLE ${sqlId(table)}`);
      onStep(`reset ${mapped.size} declared tables`);
    }
    for (const load of loads) {
      const n = await loadRows(conn, load.table, load.columns, load.count, load.row, plan.keep);
      onStep(`${load.table}: ${n.toLocaleString('en-US')} rows`);
    }
  } finally {
    await conn.query('SET foreign_key_checks = 1').catch(() => undefined);
    conn.release();
  }
  if (schema.redis) await seedMappedRedis(redis, schema.redis, ids, prefix, plan);
}

interface Load {
  readonly table: string;
  readonly columns: readonly string[];
  readonly count: number;
  readonly row: (i: number) => (number | string)[];
}

/** LOAD DATA would quietly put 0 or '' in a NOT NULL column without a default: refused instead. */
async function refuseUnfillable(conn: mysql.PoolConnection, { table, columns }: Load): Promise<void> {
  const [unfilled] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND is_nullable = 'NO'
       AND column_default IS NULL AND extra NOT LIKE '%auto_increment%' AND column_name NOT IN (?)`, [table, columns]);
  if (unfilled.length === 0) return;
  throw new ConfigError(`cannot seed ${table} through the schema map: column(s) ${unfilled.map((r) => String(r['c'])).join(', ')} have no default and the map ` +
    'does not name them — give them a default, or seed your own way and write the seed manifest (docs/your-own-system.md#seeding)');
}

async function seedMappedRedis(redis: Redis, keys: NonNullable<SchemaMap['redis']>, ids: IdFormats, prefix: string, plan: SeedPlan): Promise<void> {
  if (plan.keep) return;
  const [first, second] = [formatId(ids.coupon, FIRST_COME_COUPON_ID), formatId(ids.coupon, ORDER_COUPON_ID)];
  const key = (pattern: string | null, coupon: string | number) => (pattern === null ? undefined : couponKey(prefix, pattern, coupon));
  const multi = redis.multi();
  const stale = [first, second].flatMap((c) => [key(keys.issuedSet, c), key(keys.stock, c), key(keys.soldOut, c)]).filter((k): k is string => k !== undefined);
  if (stale.length > 0) multi.del(...stale);
  const [stock1, stock2] = [key(keys.stock, first), key(keys.stock, second)];
  if (stock1) multi.set(stock1, String(plan.couponStock));
  if (stock2) multi.set(stock2, '0');
  const [sold1, sold2, set2] = [key(keys.soldOut, first), key(keys.soldOut, second), key(keys.issuedSet, second)];
  if (sold1 && plan.couponStock === 0) multi.set(sold1, '1');
  if (sold2 && plan.orderCouponHolders > 0) multi.set(sold2, '1');
  for (let start = 0; set2 && start < plan.orderCouponHolders; start += 5000) {
    const end = Math.min(plan.orderCouponHolders, start + 5000);
    multi.sadd(set2, ...Array.from({ length: end - start }, (_, i) => String(formatId(ids.user, start + i + 1))));
  }
  // A transaction reports each command's error in its results, not by rejecting (e.g. WRONGTYPE
  // where the system keeps that key as another type): a half-written seed must not pass as done.
  const results = (await multi.exec()) ?? [];
  const failed = results.find(([err]) => err !== null);
  if (failed) throw new ConfigError(`seed: Redis refused a write of the declared keys (schema.redis): ${failed[0]!.message}`);
}
