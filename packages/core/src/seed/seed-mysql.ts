import type mysql from 'mysql2/promise';
import { TABLES } from '@perf-lab/contract';
import { loadRows } from '../db/load-data.ts';
import { FIRST_COME_COUPON_ID, ORDER_COUPON_ID, type SeedPlan } from './seed-plan.ts';

/** Both reference systems' tables; only those that exist are reset (foreign-key checks off, so in any order). */
const SEEDED_TABLES: readonly string[] = Object.values(TABLES);

const REQUIRED_TABLES: readonly string[] = [TABLES.users, TABLES.coupons, TABLES.userCoupons, TABLES.products, TABLES.carts, TABLES.cartItems];

export async function existingTables(pool: mysql.Pool): Promise<Set<string>> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()');
  return new Set(rows.map((r) => String(r['t'])));
}

export async function missingSchema(pool: mysql.Pool): Promise<string[]> {
  const tables = await existingTables(pool);
  return REQUIRED_TABLES.filter((t) => !tables.has(t));
}

export async function resetTables(pool: mysql.Pool): Promise<void> {
  const tables = await existingTables(pool);
  const conn = await pool.getConnection();
  try {
    // TRUNCATE refuses tables that foreign keys point at unless the checks are off.
    await conn.query('SET foreign_key_checks = 0');
    for (const table of SEEDED_TABLES) if (tables.has(table)) await conn.query(`TRUNCATE TABLE \`${table}\``);
  } finally {
    await conn.query('SET foreign_key_checks = 1').catch(() => undefined);
    conn.release();
  }
}

export interface MysqlSeedCounts {
  readonly users: number;
  readonly userCoupons: number;
  readonly carts: number;
  readonly cartItems: number;
}

/** Loads every table at once, each on its own connection (the server parallelises them). */
export async function seedMysql(pool: mysql.Pool, plan: SeedPlan, onStep: (step: string) => void): Promise<MysqlSeedCounts> {
  const ignore = plan.keep;
  const verb = ignore ? 'INSERT IGNORE' : 'INSERT';
  await pool.query(`${verb} INTO coupons (id, name, total, issued) VALUES (?, ?, ?, 0), (?, ?, ?, ?)`, [
    FIRST_COME_COUPON_ID, 'first-come drop', plan.couponStock,
    ORDER_COUPON_ID, 'order discount', plan.orderCouponHolders, plan.orderCouponHolders,
  ]);
  const products = Array.from({ length: plan.products }, (_, i) => [i + 1, `product-${i + 1}`, plan.productPrice, plan.productStock]);
  await pool.query(`${verb} INTO products (id, name, price, quantity) VALUES ?`, [products]);

  const items = plan.cartItems;
  const withConnection = async (label: string, work: (c: mysql.PoolConnection) => Promise<number>): Promise<number> => {
    const conn = await pool.getConnection();
    try {
      await conn.query('SET unique_checks = 0, foreign_key_checks = 0');
      const n = await work(conn);
      onStep(`${label}: ${n.toLocaleString('en-US')} rows`);
      return n;
    } finally {
      await conn.query('SET unique_checks = 1, foreign_key_checks = 1').catch(() => undefined);
      conn.release();
    }
  };
  const [users, userCoupons, carts, cartItems] = await Promise.all([
    withConnection('users', (c) => loadRows(c, 'users', ['id', 'balance'], plan.users, (i) => [i + 1, plan.initialBalance], ignore)),
    withConnection('user_coupons', (c) => loadRows(c, 'user_coupons', ['user_id', 'coupon_id'], plan.orderCouponHolders, (i) => [i + 1, ORDER_COUPON_ID], ignore)),
    withConnection('carts', (c) => loadRows(c, 'carts', ['id', 'user_id'], plan.users, (i) => [i + 1, i + 1], ignore)),
    withConnection('cart_items', (c) => loadRows(c, 'cart_items', ['cart_id', 'product_id', 'quantity'], plan.users * items.length,
      (i) => {
        const item = items[i % items.length]!;
        return [Math.floor(i / items.length) + 1, item.productId, item.quantity];
      }, ignore)),
  ]);
  return { users, userCoupons, carts, cartItems };
}
