import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mysql from 'mysql2/promise';
import { labDown, type PerfLabConfig } from '../src/index.ts';
import { envOf, privateLabConfig } from './private-lab.ts';
import { runCli } from './run-cli.ts';

interface StatusDoc {
  services: { name: string; ok: boolean; address: string; version: string | null; pid: number | null }[];
}

describe('perf-lab up | status | down on a private lab', () => {
  let config: PerfLabConfig;
  let env: Record<string, string>;

  afterAll(async () => {
    if (config) await labDown(config, { wipe: true });
  });

  it('cold up starts all three services and status reports them healthy', async () => {
    config = await privateLabConfig({ mysql: 23306, redis: 26379, kafka: 29092, controller: 29093 });
    env = envOf(config);
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
      ['mysql', true, '127.0.0.1:23306'], ['redis', true, '127.0.0.1:26379'], ['kafka', true, '127.0.0.1:29092'],
    ]);
    expect(doc.services.find((s) => s.name === 'mysql')?.version).toMatch(/MariaDB/);
    expect(doc.services.find((s) => s.name === 'redis')?.version).toMatch(/^\d+\.\d+/);
  });

  it('warm up starts nothing and reports what is running', async () => {
    const warm = await runCli(['up', '--json'], env);
    expect(warm.code).toBe(0);
    const up = JSON.parse(warm.stdout) as { seconds: number; services: { action: string }[] };
    expect(up.services.every((s) => s.action === 'already-running')).toBe(true);
    console.info(`warm up: ${up.seconds.toFixed(2)}s`);
  });

  it('MySQL: creates a table and reads it back over TCP', async () => {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: config.mysql.port, user: config.mysql.user, password: config.mysql.password, database: config.mysql.database });
    try {
      await conn.query('CREATE TABLE roundtrip (id INT PRIMARY KEY, note VARCHAR(20))');
      await conn.query('INSERT INTO roundtrip VALUES (1, ?), (2, ?)', ['one', 'two']);
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT id, note FROM roundtrip ORDER BY id');
      expect(rows.map((r) => [r['id'], r['note']])).toEqual([[1, 'one'], [2, 'two']]);
    } finally {
      await conn.end();
    }
  });

  it('Redis: SET then GET', async () => {
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      await redis.set('roundtrip', 'value-1');
      expect(await redis.get('roundtrip')).toBe('value-1');
    } finally {
      redis.disconnect();
    }
  });

  it('Kafka: creates a topic, produces with acks=all and consumes through a consumer group', async () => {
    const kafka = new Kafka({ clientId: 'lab-test', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: 'lab-test-group' });
    try {
      await admin.connect();
      expect(await admin.createTopics({ topics: [{ topic: 'roundtrip', numPartitions: 2 }], waitForLeaders: true })).toBe(true);
      await producer.connect();
      await producer.send({ topic: 'roundtrip', acks: -1, messages: [{ key: 'k', value: 'hello-kafka' }] });
      await consumer.connect();
      await consumer.subscribe({ topic: 'roundtrip', fromBeginning: true });
      const received = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });
      expect(received).toBe('hello-kafka');
      const offsets = await (async () => {
        // The group commits after the handler; poll until the commit is visible.
        for (let i = 0; i < 100; i++) {
          const [topic] = await admin.fetchOffsets({ groupId: 'lab-test-group', topics: ['roundtrip'] });
          const committed = topic?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) ?? 0;
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
