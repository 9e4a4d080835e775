import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import mysql from 'mysql2/promise';
import { couponTopic, runScenario, seed, ServiceError, startReferenceServer } from '../src/index.ts';
import { waitUntilDrained } from '../src/audit/drain.ts';
import { AuditKafka } from '../src/audit/audit-kafka.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * A seed right after a run must not let that run's coupon requests, still in Kafka, land on
 * the new data (seen as a flaky `coupon.redis-set-matches-db` in the next scenario). Messages
 * the real server produced are put back on the topic, so the "still in flight" state is made
 * on purpose rather than hoped for.
 */
describe('seed after a run: nothing of the earlier run lands on the new seed', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let kafka: Kafka;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-settle-runs-'));
  const plan = { users: 200, couponStock: 10 };

  const count = async (sql: string): Promise<number> => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
    return Number(Object.values(rows[0] ?? {})[0]);
  };
  const lag = async (): Promise<number> => {
    const auditKafka = await AuditKafka.open(db.config, 10_000);
    try {
      const noOutbox = { query: async () => [] };
      return (await waitUntilDrained(db.config, auditKafka, noOutbox, new Set(), 0)).kafkaLag;
    } finally {
      await auditKafka.close();
    }
  };
  /** Every message on the coupon topic so far, read by a group of this test alone. */
  const messagesInTopic = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(couponTopic(db.config));
      return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    } finally {
      await admin.disconnect();
    }
  };
  const readAll = async (expected: number): Promise<Message[]> => {
    const consumer = kafka.consumer({ groupId: `settle-reader-${Date.now()}` });
    const seen: Message[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: couponTopic(db.config), fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => {
        seen.push({ key: message.key, value: message.value, headers: message.headers ?? {} });
        if (seen.length === expected) resolve();
      } });
    });
    await consumer.disconnect();
    return seen;
  };

  beforeAll(async () => {
    db = await createTestDatabase('settle');
    conn = await mysql.createConnection(db.config.mysql.url);
    kafka = new Kafka({ clientId: 'settle-test', brokers: [...db.config.kafka.brokers], logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await conn?.end();
    await db?.drop();
  });

  it('skips requests no consumer applied before the reset, so a server started later does not apply them', async () => {
    const logFile = path.join(db.config.stateDir, 'server.log');
    let server = await startReferenceServer(db.config, {}, { logFile });
    try {
      await seed(db.config, { plan });
      const run = await runScenario(db.config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir });
      expect(run.results.successes).toBe(10);
      // Stopped first: until then its sweeper may re-send a reservation the consumer is slow to settle.
      await server.stop();
      // The server packs a produce batch's requests into one message per partition: read them all.
      const queued = await messagesInTopic();
      expect(queued).toBeGreaterThan(0);
      const applied = await readAll(queued);
      // The run's requests, in flight again: produced, not yet consumed, the server stopped.
      const unapplied = await lag();
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({ topic: couponTopic(db.config), acks: -1, messages: applied });
      await producer.disconnect();
      expect(await lag()).toBe(unapplied + queued);

      const progress: string[] = [];
      await seed(db.config, { plan, onProgress: (l) => progress.push(l) });
      expect(progress).toContain(`kafka: skipped ${unapplied + queued} coupon-topic message(s) of an earlier run that no consumer had applied`);
      expect(await lag()).toBe(0);

      server = await startReferenceServer(db.config, {}, { logFile });
      // Give the consumer every chance to apply something: until its group has caught up.
      for (let i = 0; i < 40 && (await lag()) > 0; i++) await new Promise((r) => setTimeout(r, 250));
      expect(await count('SELECT issued FROM coupons WHERE id = 1')).toBe(0);
      expect(await count('SELECT COUNT(*) FROM user_coupons WHERE coupon_id = 1')).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('waits for a running consumer, and fails naming Kafka when it does not catch up in time', async () => {
    const topic = couponTopic(db.config);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // A member of the server's group that is there but does not consume: the lag stays.
    const consumer = kafka.consumer({ groupId: db.config.kafka.consumerGroup, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ eachMessage: async () => undefined });
    await joined;
    consumer.pause([{ topic }]);
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: '1', value: 'stale' }] });
      const error = await seed(db.config, { plan, settleTimeoutMs: 1500 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).service).toBe('kafka');
      expect((error as Error).message).toMatch(/coupon pipeline did not drain within 1\.5s \(Kafka lag 1 for consumer group test-settle-/);

      // Once the consumer goes on, the same seed waits for it and then resets.
      const progress: string[] = [];
      setTimeout(() => consumer.resume([{ topic }]), 1000);
      await seed(db.config, { plan, onProgress: (l) => progress.push(l) });
      expect(progress[0]).toBe('waiting for the coupon pipeline to drain before the reset (Kafka lag 1, outbox pending 0)');
      expect(await lag()).toBe(0);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
