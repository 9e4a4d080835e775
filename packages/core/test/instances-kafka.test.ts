import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { orderEventsTopic } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, parseFaults, runScenario, seed, startReferenceServer, type AuditReport, type RunningServer } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { topicHeaderCounts } from './topic-header-counts.ts';

interface Health {
  readonly consumer: { readonly issued: number };
  readonly outbox: { readonly published: number };
}

/**
 * Three instances share Kafka's work: their coupon consumers split the topic's partitions in
 * one group, and a rebalance when one dies and comes back loses and doubles nothing; their
 * outbox relays publish every event exactly once between them.
 */
describe('three instances on one Kafka', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-instances-kafka-'));
  const notOk = (report: AuditReport) => report.invariants.filter((i) => i.status !== 'ok' && i.status !== 'not-applicable');
  const health = async (url: string) => (await (await fetch(`${url}/health`)).json()) as Health;

  beforeAll(async () => {
    db = await createTestDatabase('instkafka');
    server = await startReferenceServer(db.config, {}, { instances: 3, logFile: path.join(db.config.stateDir, 'server.log') });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('coupon load while instance 3 dies (kill -9) and rejoins: every 202 persisted exactly once, audit ok', async () => {
    await seed(db.config, { plan: { users: 3000, couponStock: 100_000 } });
    const run = await runScenario(db.config, {
      scenario: 'coupon', profile: 'load', overrides: { duration: '12s', vus: 12 }, runsDir, faults: parseFaults(['kill-server#3@3s:3s']),
    });
    expect(run.faults[0]).toMatchObject({ instance: 3, outcome: 'recovered' });
    expect(run.results.successes).toBeGreaterThan(0);
    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 60_000 });
    expect({ notOk: notOk(report), reasons: report.reasons }).toEqual({ notOk: [], reasons: [] });
    const checked = new Map(report.invariants.map((i) => [i.name, i.status]));
    expect(checked.get('coupon.acknowledged-persisted')).toBe('ok');
    expect(checked.get('coupon.no-duplicate-issuance')).toBe('ok');
    // The work was shared: the surviving instances' consumers each applied requests (keyed by
    // user, spread over the partitions), not one consumer all of them.
    const [first, second] = await Promise.all(server!.urls.slice(0, 2).map(health));
    expect(first!.consumer.issued).toBeGreaterThan(0);
    expect(second!.consumer.issued).toBeGreaterThan(0);
  }, 90_000);

  it('order load on three outbox relays: every event published exactly once, none skipped', async () => {
    await seed(db.config, { plan: { users: 3000, couponStock: 100 } });
    const before = await Promise.all(server!.urls.map(health));
    const run = await runScenario(db.config, { scenario: 'order', profile: 'load', overrides: { duration: '10s', vus: 12 }, runsDir });
    expect(run.results.successes).toBeGreaterThan(20);
    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 60_000 });
    expect({ notOk: notOk(report), reasons: report.reasons }).toEqual({ notOk: [], reasons: [] });
    expect(report.invariants.find((i) => i.name === 'order.sent-events-on-kafka')?.status).toBe('ok');

    const pool = mysql.createPool({ uri: db.config.mysql.url, connectionLimit: 1 });
    let events: { id: string; sent: boolean }[];
    try {
      const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT id, sent_at FROM outbox_events WHERE id > ? ORDER BY id',
        [report.runStart?.maxIds['outbox_events'] ?? 0]);
      events = rows.map((r) => ({ id: String(r['id']), sent: r['sent_at'] !== null }));
    } finally {
      await pool.end();
    }
    expect(events.length).toBe(run.results.successes);
    // None skipped: every event of the run was sent (the audit waited for the outbox to drain).
    expect(events.filter((e) => !e.sent)).toEqual([]);
    const counts = await topicHeaderCounts(db.config.kafka.brokers, orderEventsTopic(db.config.kafka.topicPrefix), 'event-id');
    const published = events.map((e) => [e.id, counts.get(e.id) ?? 0]);
    expect(published.filter(([, n]) => n !== 1)).toEqual([]);
    // More than one relay did the publishing.
    const after = await Promise.all(server!.urls.map(health));
    const byInstance = after.map((h, i) => h.outbox.published - before[i]!.outbox.published);
    expect(byInstance.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(byInstance.filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 90_000);
});
