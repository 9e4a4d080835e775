import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { parseApiContract } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerfLabConfig } from '../src/config/config.ts';
import { parseSchemaMap } from '../src/config/schema-map.ts';
import { parseUserInvariants } from '../src/config/user-invariants.ts';
import { audit, runScenario, seed } from '../src/index.ts';
import { inv } from './audit-fixture.ts';
import { FOREIGN_SCHEMA_SQL, startForeignService, type ForeignService } from './foreign-system/foreign-service.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * `perf-lab seed` on a declared schema writes through the mapping: the foreign system's own
 * tables, columns, id formats and Redis keys, then its load and audit run on what it wrote.
 */
const declared = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'foreign-system', 'perf-lab.config.json'), 'utf8')) as
  { api: unknown; schema: unknown; invariants: unknown };

describe('seeding through the schema map', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let redis: Redis;
  let service: ForeignService;
  let config: PerfLabConfig;
  const query = async (sql: string) => (await conn.query(sql))[0] as Record<string, unknown>[];

  beforeAll(async () => {
    db = await createTestDatabase('seedmapped');
    conn = await mysql.createConnection({ uri: db.config.mysql.url, multipleStatements: true });
    redis = new Redis(db.config.redis.url);
    await conn.query(FOREIGN_SCHEMA_SQL);
    service = await startForeignService(db.config.mysql.url, db.config.redis.url, db.config.redisKeyPrefix);
    config = { ...db.config, targetUrl: service.url, api: parseApiContract(declared.api), schema: parseSchemaMap(declared.schema), invariants: parseUserInvariants(declared.invariants) };
  });
  afterAll(async () => {
    await service?.stop();
    redis?.disconnect();
    await conn?.end();
    await db?.drop();
  });

  it('writes the plan in the system\'s own tables, ids and keys, and a load on it audits ok', async () => {
    await conn.query("INSERT INTO members VALUES ('stale-member', 1)");
    // What the refusal below asks for: a column the map does not name needs a default to be seeded.
    await conn.query("ALTER TABLE promo MODIFY closes_at DATETIME(3) NOT NULL DEFAULT '2999-12-31 00:00:00'");
    const plan = { users: 40, initialBalance: 700, couponStock: 5, orderCouponHolders: 4, products: 2, productStock: 50, productPrice: 120, cartItems: [] };
    const seeded = await seed(config, { plan });
    expect(seeded.manifest.balanceRule).toEqual({ firstUser: 1, lastUser: 40, initialBalance: 700 });
    expect(await query("SELECT COUNT(*) AS n, MIN(points) AS lo, MAX(points) AS hi, SUM(member_id = 'test-user-40') AS last FROM members"))
      .toEqual([{ n: 40, lo: 700, hi: 700, last: '1' }]);
    expect(await query('SELECT code, quantity, claimed FROM promo ORDER BY code')).toEqual([
      { code: 'test-coupon-1', quantity: 5, claimed: 0 }, { code: 'test-coupon-2', quantity: 4, claimed: 4 }]);
    expect(await query("SELECT member_id FROM promo_claim WHERE promo_code = 'test-coupon-2' ORDER BY seq")).toEqual(
      [1, 2, 3, 4].map((n) => ({ member_id: `test-user-${n}` })));
    expect(await query('SELECT sku, on_hand, unit_cost FROM goods ORDER BY sku')).toEqual([
      { sku: 'test-product-1', on_hand: 50, unit_cost: 120 }, { sku: 'test-product-2', on_hand: 50, unit_cost: 120 }]);
    expect((await redis.smembers(`${config.redisKeyPrefix}fcfs:test-coupon-2:members`)).sort()).toEqual(['test-user-1', 'test-user-2', 'test-user-3', 'test-user-4']);

    const run = await runScenario(config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 2 }, runsDir: mkdtempSync(path.join(tmpdir(), 'perf-lab-seedmapped-')) });
    expect(run.results).toMatchObject({ successes: plan.couponStock, systemErrors: 0 });
    const report = await audit(config, { runDir: run.runDir, drainTimeoutMs: 5000 });
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(inv(report, 'coupon.redis-set-matches-db')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'order.balance-drift')).toMatchObject({ status: 'ok' });
  });

  it('refuses a table whose unmapped columns have no default, saying how to seed instead', async () => {
    await conn.query('CREATE TABLE IF NOT EXISTS strict_members (member_id VARCHAR(40) PRIMARY KEY, points BIGINT NOT NULL, email VARCHAR(80) NOT NULL)');
    const strict = { ...config, schema: parseSchemaMap({ ...(declared.schema as object), users: { table: 'strict_members', id: 'member_id', balance: 'points' } }) };
    const before = await query('SELECT COUNT(*) AS n FROM members');
    await expect(seed(strict, { plan: { users: 3 } })).rejects.toThrow(/cannot seed strict_members through the schema map: column\(s\) email have no default .* seed your own way and write the seed manifest/);
    // Refused before any reset: the tables are as they were.
    expect(await query('SELECT COUNT(*) AS n FROM members')).toEqual(before);
  });
});
