import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mysql from 'mysql2/promise';
import { labDown, labUp, type PerfLabConfig } from '@perf-lab/core';
import { envOf, privateLabConfig } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

interface StatusDoc {
  services: { name: string; ok: boolean; address: string; version: string | null; pid: number | null }[];
}

/**
 * Each test brings the private lab to the state it needs (down for a cold start, up for the
 * rest) instead of relying on the test before it, so any one of them can run alone. In file
 * order this costs one cold start, as before.
 */
describe('perf-lab up | status | down on a private lab', () => {
  let config: PerfLabConfig;
  let env: Record<string, string>;

  beforeAll(async () => {
    config = await privateLabConfig();
    env = envOf(config);
  });
  afterAll(async () => {
    if (config) await labDown(config, { wipe: true });
  });

  it('cold up starts all three services and status reports them healthy', async () => {
    await labDown(config);
    const cold = await runCli(['up', '--json'], env);
    expect(cold.stderr).not.toMatch(/perf-lab:/);
    expect(cold.code).toBe(0);
    const up = JSON.parse(cold.stdout) as { seconds: number; services: { service: string; action: string }[] };
    expect(up.services.map((s) => `${s.service}:${s.action}`).sort()).toEqual(['kafka:started', 'mysql:started', 'redis:started']);
    console.info(`cold up: ${up.seconds.toFixed(2)}s`);

    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout) as StatusDoc;
    expect(doc.services.map((s) => [s.name, s.ok, s.address])).toEqual([
      ['mysql', true, `127.0.0.1:${config.mysql.port}`], ['redis', true, `127.0.0.1:${config.redis.port}`], ['kafka', true, `127.0.0.1:${config.kafka.port}`],
    ]);
    expect(doc.services.find((s) => s.name === 'mysql')?.version).toMatch(/MariaDB/);
    expect(doc.services.find((s) => s.name === 'redis')?.version).toMatch(/^\d+\.\d+/);
  });

  it('warm up starts nothing and reports what is running', async () => {
    await labUp(config);
    const warm = await runCli(['up', '--json'], env);
    expect(warm.code).toBe(0);
    const up = JSON.parse(warm.stdout) as { seconds: number; services: { action: string }[] };
    expect(up.services.every((s) => s.action === 'already-running')).toBe(true);
    console.info(`warm up: ${up.seconds.toFixed(2)}s`);
  });

  it('MySQL: creates a table and reads it back over TCP', async () => {
    await labUp(config);
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: config.mysql.port, user: config.mysql.user, password: config.mysql.password, database: config.mysql.database });
    try {
      await conn.query('DROP TABLE IF EXISTS roundtrip');
      await conn.query('CREATE TABLE roundtrip (id INT PRIMARY KEY, note VARCHAR(20))');
      await conn.query('INSERT INTO roundtrip VALUES (1, ?), (2, ?)', ['one', 'two']);
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT id, note FROM roundtrip ORDER BY id');
      expect(rows.map((r) => [r['id'], r['note']])).toEqual([[1, 'one'], [2, 'two']]);
    } finally {
      await conn.end();
    }
  });

  it('Redis: SET then GET', async () => {
    await labUp(config);
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      await redis.set('roundtrip', 'value-1');
      expect(await redis.get('roundtrip')).toBe('value-1');
    } finally {
      redis.disconnect();
    }
  });

  it('Kafka: creates a topic, produces with acks=all and consumes through a consumer group', async () => {
    await labUp(config);
    // Names of this test alone, so a rerun on the same lab starts from an empty topic and group.
    const topic = `roundtrip-${Date.now()}`;
    const groupId = `lab-test-group-${Date.now()}`;
    const kafka = new Kafka({ clientId: 'lab-test', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId });
    try {
      await admin.connect();
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })).toBe(true);
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'hello-kafka' }] });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });
      expect(received).toBe('hello-kafka');
      const offsets = await (async () => {
        // The group commits after the handler; poll until the commit is visible.
        for (let i = 0; i < 100; i++) {
          const [fetched] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const committed = fetched?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) ?? 0;
          if (committed === 1) return committed;
          await new Promise((r) => setTimeout(r, 100));
        }
        return -1;
      })();
      expect(offsets).toBe(1);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('down stops them and status reports them stopped (exit 1)', async () => {
    await labUp(config);
    const down = await runCli(['down', '--json'], env);
    expect(down.code).toBe(0);
    const result = JSON.parse(down.stdout) as { services: { service: string; outcome: string }[] };
    expect(result.services.every((s) => s.outcome === 'stopped' || s.outcome === 'killed')).toBe(true);
    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(1);
    const doc = JSON.parse(status.stdout) as StatusDoc;
    expect(doc.services.map((s) => [s.name, s.ok, s.pid])).toEqual([['mysql', false, null], ['redis', false, null], ['kafka', false, null]]);
    const again = await runCli(['down', '--json'], env);
    expect((JSON.parse(again.stdout) as { services: { outcome: string }[] }).services.every((s) => s.outcome === 'not-running')).toBe(true);
  });
});
