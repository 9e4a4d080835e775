import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { parseApiContract } from '@perf-lab/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PerfLabConfig } from '../src/config/config.ts';
import { parseSchemaMap } from '../src/config/schema-map.ts';
import { parseUserInvariants } from '../src/config/user-invariants.ts';
import { audit, runScenario } from '../src/index.ts';
import { manifestPath, writeManifest } from '../src/seed/seed-manifest.ts';
import { inv } from './audit-fixture.ts';
import { FOREIGN_SCHEMA_SQL, startForeignService, type ForeignService } from './foreign-system/foreign-service.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * perf-lab on a system it did not write (foreign-system/): loaded with the bundled coupon
 * scenario through the API contract of foreign-system/perf-lab.config.json, seeded by the test
 * (a manifest tells the audit what the seed holds), and audited through the same file's schema.
 */
const declared = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'foreign-system', 'perf-lab.config.json'), 'utf8')) as
  { api: unknown; schema: unknown; invariants: unknown };
const USERS = 60;
const STOCK = 10;

describe('a foreign system, declared as data', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let service: ForeignService;
  let config: PerfLabConfig;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-foreign-runs-'));

  beforeAll(async () => {
    db = await createTestDatabase('foreign');
    conn = await mysql.createConnection({ uri: db.config.mysql.url, multipleStatements: true });
    await conn.query(FOREIGN_SCHEMA_SQL);
    service = await startForeignService(db.config.mysql.url, db.config.redis.url, db.config.redisKeyPrefix);
    config = {
      ...db.config, targetUrl: service.url,
      api: parseApiContract(declared.api), schema: parseSchemaMap(declared.schema), invariants: parseUserInvariants(declared.invariants),
    };
  });
  afterAll(async () => {
    await service?.stop();
    await conn?.end();
    await db?.drop();
  });

  beforeEach(async () => {
    // The user's own seed: members test-user-1..60, promo test-coupon-1 with 10 to give.
    await conn.query('DELETE FROM promo_claim; DELETE FROM promo; DELETE FROM members');
    const redis = new Redis(db.config.redis.url);
    await redis.del(`${db.config.redisKeyPrefix}fcfs:test-coupon-1:members`).finally(() => redis.disconnect());
    await conn.query('INSERT INTO members VALUES ?', [Array.from({ length: USERS }, (_, i) => [`test-user-${i + 1}`, 1000])]);
    await conn.query("INSERT INTO promo (code, quantity, claimed, closes_at) VALUES ('test-coupon-1', ?, 0, NOW(3) + INTERVAL 1 DAY)", [STOCK]);
    writeManifest(manifestPath(config.stateDir), {
      version: 1, seededAt: new Date().toISOString(), database: config.mysql.database, redisKeyPrefix: config.redisKeyPrefix,
      plan: { users: USERS, initialBalance: 1000, couponStock: STOCK, orderCouponHolders: 0, products: 0, productStock: 0, productPrice: 0, cartItems: [], keep: false },
      coupons: [{ id: 1, total: STOCK, issuedAtSeed: 0 }], products: [], balanceRule: { firstUser: 1, lastUser: USERS, initialBalance: 1000 },
    });
  });

  const load = () => runScenario(config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir });
  const check = (runDir: string) => audit(config, { runDir, drainTimeoutMs: 5000 });

  it('loads with the bundled scenario in its own ids and 400s, and a clean run audits ok', async () => {
    const run = await load();
    expect(run.results).toMatchObject({ successes: STOCK, systemErrors: 0, businessByReason: { SOLD_OUT: run.results.requests - STOCK } });
    const log = readFileSync(path.join(run.runDir, 'operations.log'), 'utf8');
    expect(log).toMatch(/perf-lab-op coupon\.issue outcome=ack coupon=test-coupon-1 user=test-user-\d+ status=200 reason=OK/);
    const report = await check(run.runDir);
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(inv(report, 'coupon.acknowledged-persisted')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'coupon.no-over-issue')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'user.promo.claimed-while-open')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'coupon.redis-set-matches-db')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'coupon.redis-stock-matches-db')).toMatchObject({ status: 'not-applicable', skipped: 'the schema declares no Redis stock counter' });
  });

  it('a member missing from its own Redis key is flagged', async () => {
    const run = await load();
    const [[holder]] = await conn.query('SELECT member_id FROM promo_claim ORDER BY seq LIMIT 1') as unknown as [[{ member_id: string }]];
    const redis = new Redis(config.redis.url);
    try {
      await redis.srem(`${config.redisKeyPrefix}fcfs:test-coupon-1:members`, holder.member_id);
    } finally {
      redis.disconnect();
    }
    const report = await check(run.runDir);
    expect(inv(report, 'coupon.redis-set-matches-db')).toMatchObject({ ok: false, violations: 1, examples: [`coupon test-coupon-1 user ${holder.member_id}: in DB, not in Redis`] });
  });

  it('a duplicate claim with the unique key dropped is flagged as on the reference schema', async () => {
    const run = await load();
    const [[holder]] = await conn.query('SELECT member_id FROM promo_claim ORDER BY seq LIMIT 1') as unknown as [[{ member_id: string }]];
    await conn.query("ALTER TABLE promo_claim DROP INDEX uq_claim; INSERT INTO promo_claim (member_id, promo_code) VALUES (?, 'test-coupon-1')", [holder.member_id]);
    try {
      const report = await check(run.runDir);
      expect(report.verdict).toBe('violated');
      expect(inv(report, 'coupon.no-duplicate-issuance')).toMatchObject({ ok: false, violations: 1, examples: [`coupon test-coupon-1 user ${holder.member_id} ×2`] });
      expect(inv(report, 'coupon.db-counter-matches-rows')).toMatchObject({ ok: false, examples: [`coupon test-coupon-1: issued ${STOCK}, rows ${STOCK + 1}`] });
    } finally {
      await conn.query("DELETE FROM promo_claim WHERE member_id = ? ORDER BY seq DESC LIMIT 1; ALTER TABLE promo_claim ADD UNIQUE KEY uq_claim (member_id, promo_code)", [holder.member_id]);
    }
  });

  it('an acknowledged claim deleted is flagged in the system\'s own ids', async () => {
    const run = await load();
    const [[holder]] = await conn.query('SELECT member_id FROM promo_claim ORDER BY seq LIMIT 1') as unknown as [[{ member_id: string }]];
    await conn.query("DELETE FROM promo_claim WHERE member_id = ?; UPDATE promo SET claimed = claimed - 1", [holder.member_id]);
    const report = await check(run.runDir);
    expect(inv(report, 'coupon.acknowledged-persisted')).toMatchObject({ ok: false, violations: 1, examples: [`coupon test-coupon-1 user ${holder.member_id}`] });
  });

  it('a user-declared invariant catches a corruption the built-ins cannot see', async () => {
    const run = await load();
    await conn.query('UPDATE promo_claim SET claimed_at = NOW(3) + INTERVAL 2 DAY ORDER BY seq LIMIT 1');
    const report = await check(run.runDir);
    expect(report.invariants.filter((i) => !i.ok).map((i) => i.name)).toEqual(['user.promo.claimed-while-open']);
    expect(inv(report, 'user.promo.claimed-while-open')).toMatchObject({ status: 'violated', violations: 1 });
  });

  it('a user id format that matches none of the seeded users is refused before any load', async () => {
    const wrong = { ...config, api: parseApiContract({ ...(declared.api as object), ids: { user: 'member-{n}', coupon: 'test-coupon-{n}' } }) };
    const dir = mkdtempSync(path.join(tmpdir(), 'perf-lab-foreign-ids-'));
    await expect(runScenario(wrong, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir: dir }))
      .rejects.toThrow(/members\.member_id holds 0 of the 60 users the seed manifest .* written as api\.ids\.user "member-\{n\}" says \(member-1 … member-60\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('waits on the declared request topic of an asynchronous flow: an undrained lag makes the verdict unknown', async () => {
    const queued = { ...config, schema: parseSchemaMap({ ...(declared.schema as object), kafka: { couponRequests: 'promo.claim-requests' } }) };
    const topic = `${config.kafka.topicPrefix}promo.claim-requests`;
    const kafka = new Kafka({ clientId: 'foreign-claims', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [1, 2, 3].map((n) => ({ value: JSON.stringify({ memberId: `test-user-${n}` }) })) });
    await producer.disconnect();
    const report = await audit(queued, { drainTimeoutMs: 1000 });
    expect(report.verdict).toBe('unknown');
    expect(report.drain).toMatchObject({ drained: false, kafkaLag: 3 });
    // The service's consumer (its group is perf-lab's consumerGroup) catches up: the same state is ok.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: config.kafka.consumerGroup, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    await admin.disconnect();
    const after = await audit(queued, { drainTimeoutMs: 5000 });
    expect(after.drain).toMatchObject({ drained: true, kafkaLag: 0 });
    expect(after.verdict).toBe('ok');
  });
});
