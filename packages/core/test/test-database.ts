import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { resolveConfig, runMigrations, type PerfLabConfig } from '../src/index.ts';
import { freePort } from './free-port.ts';

/**
 * An isolated slice of the shared lab for one test file: its own database (migrated by the
 * reference server's own migrator), its own Redis key prefix and state folder.
 */
export interface TestDatabase {
  readonly config: PerfLabConfig;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const main = await resolveConfig({ file: false });
  const suffix = randomBytes(4).toString('hex');
  // Named after the lab's database: the app user may create only `<database>_…` scratch databases.
  const database = `${main.mysql.database}_${label}_${suffix}`;
  const admin = await mysql.createConnection({ host: main.mysql.host, port: main.mysql.port, user: main.mysql.user, password: main.mysql.password });
  await admin.query(`CREATE DATABASE \`${database}\``);
  await admin.end();
  const url = new URL(main.mysql.url);
  url.pathname = `/${database}`;
  const config = await resolveConfig({
    file: false,
    env: {},
    flags: {
      mysqlUrl: url.toString(),
      redisUrl: main.redis.url,
      kafkaBrokers: main.kafka.brokers.join(','),
      redisKeyPrefix: `test:${label}:${suffix}:`,
      kafkaTopicPrefix: `test-${label}-${suffix}-`,
      consumerGroup: `test-${label}-${suffix}`,
      stateDir: mkdtempSync(path.join(tmpdir(), `perf-lab-${label}-`)),
      manage: '',
      targetUrl: `http://127.0.0.1:${await freePort()}`,
    },
  });
  await runMigrations(config);
  return {
    config,
    async drop() {
      const conn = await mysql.createConnection({ host: main.mysql.host, port: main.mysql.port, user: main.mysql.user, password: main.mysql.password });
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.end();
      const redis = new Redis(main.redis.url);
      const keys = await redis.keys(`${config.redisKeyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await dropTopics(main.kafka.brokers, config.kafka.topicPrefix);
    },
  };
}

/**
 * The topics a test created, deleted with it: a broker that restarts (the fault tests, the
 * fault matrix) loads every partition's log, and hundreds left behind slow its start by seconds.
 * A failure here is reported, not thrown: the test's own assertions have already run.
 */
async function dropTopics(brokers: readonly string[], prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'perf-lab-test-cleanup', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 15_000 });
  } catch (err) {
    console.warn(`could not delete the test's Kafka topics ${prefix}*: ${(err as Error).message}`);
  } finally {
    await admin.disconnect();
  }
}
