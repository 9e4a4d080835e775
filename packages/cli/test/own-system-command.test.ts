/**
 * perf-lab as a user of another system runs it: the CLI in a folder holding that system's
 * perf-lab.config.json (the foreign test service's: its API, schema and invariants), seeding
 * through the map, loading the order flow, auditing — and a misspelt Redis key pattern refused
 * with exit 2 before any load.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { FOREIGN_SCHEMA_SQL, startForeignService, type ForeignService } from '../../core/test/foreign-system/foreign-service.ts';
import { runCli } from './run-cli.ts';

const CONFIG = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../core/test/foreign-system/perf-lab.config.json');

describe('perf-lab on a foreign system, from its config file', () => {
  let db: TestDatabase;
  let service: ForeignService;
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-lab-own-system-'));
  const declared = JSON.parse(readFileSync(CONFIG, 'utf8')) as { schema: Record<string, unknown> };

  beforeAll(async () => {
    db = await createTestDatabase('cliforeign');
    const conn = await mysql.createConnection({ uri: db.config.mysql.url, multipleStatements: true });
    // The foreign schema, with the default `perf-lab seed` needs for the column its map does not name.
    await conn.query(FOREIGN_SCHEMA_SQL);
    await conn.query("ALTER TABLE promo MODIFY closes_at DATETIME(3) NOT NULL DEFAULT '2999-12-31 00:00:00'");
    await conn.end();
    service = await startForeignService(db.config.mysql.url, db.config.redis.url, db.config.redisKeyPrefix,
      { brokers: db.config.kafka.brokers, topic: `${db.config.kafka.topicPrefix}shop.purchases` });
    env = { ...envOf(db.config), PERF_LAB_TARGET_URL: service.url };
    writeFileSync(path.join(dir, 'perf-lab.config.json'), readFileSync(CONFIG, 'utf8'));
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('seeds through the map, loads the order flow and audits ok; a misspelt key pattern exits 2 before any load', async () => {
    const seeded = await runCli(['seed', '--users', '30', '--balance', '1000', '--coupon-stock', '5', '--coupon-holders', '4', '--price', '100', '--product-stock', '40'], env, { cwd: dir });
    expect(seeded.code, seeded.stderr).toBe(0);
    const run = await runCli(['run', 'order', '-p', 'sequential', '--scale', '0.02', '--json'], env, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    // 20 orders of 2 × product 1 and 1 × product 2 at 100: each 300, within every balance; product 1's 40 units just enough.
    expect(JSON.parse(run.stdout)).toMatchObject({ requests: 20, accepted: 20, systemErrors: 0 });
    const audit = await runCli(['audit', '--latest', '--json'], env, { cwd: dir });
    expect(audit.code, audit.stdout).toBe(0);
    const report = JSON.parse(audit.stdout) as { verdict: string; invariants: { name: string; status: string }[] };
    expect(report.verdict).toBe('ok');
    // Every order invariant ran on the mapping but the one that knows only the reference payload, skipped saying so.
    expect(report.invariants.filter((i) => i.name.startsWith('order.') && i.status !== 'ok').map((i) => [i.name, i.status]))
      .toEqual([['order.events-match-orders', 'not-applicable']]);

    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({ ...declared, schema: { ...declared.schema, redis: { issuedSet: 'fcfs:{coupon}:member', stock: null, soldOut: null } } }));
    const runs = readdirSync(path.join(dir, 'reports', 'runs')).length;
    const refused = await runCli(['run', 'order', '-p', 'sequential', '--scale', '0.02'], env, { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/schema\.redis\.issuedSet: the pattern "fcfs:\{coupon\}:member" matches no key after seeding/);
    expect(readdirSync(path.join(dir, 'reports', 'runs'))).toHaveLength(runs);
  }, 240_000);
});
