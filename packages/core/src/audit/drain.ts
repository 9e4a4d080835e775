import { couponIssueTopic, TABLES } from '@perf-lab/contract';
import { Kafka, logLevel } from 'kafkajs';
import type mysql from 'mysql2/promise';
import type { PerfLabConfig } from '../config/config.ts';
import { delay } from '../lab/managed-process.ts';

/** The topic the reference server's coupon flow produces to, under this lab's topic prefix. */
export function couponTopic(config: PerfLabConfig): string {
  return couponIssueTopic(config.kafka.topicPrefix);
}

export interface DrainState {
  readonly drained: boolean;
  readonly kafkaLag: number;
  readonly outboxPending: number;
  readonly waitedSeconds: number;
}

/**
 * Waits, bounded, until the coupon consumer group has no lag and the outbox has nothing
 * unsent: only then does the final state mean anything. Not drained in time → the verdict
 * is unknown, never ok.
 */
export async function waitUntilDrained(config: PerfLabConfig, pool: mysql.Pool, tables: ReadonlySet<string>, timeoutMs: number): Promise<DrainState> {
  const kafka = new Kafka({ clientId: 'perf-lab-audit', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  const started = Date.now();
  try {
    for (;;) {
      const [kafkaLag, outboxPending] = await Promise.all([
        consumerLag(admin, config.kafka.consumerGroup, couponTopic(config)),
        tables.has(TABLES.outboxEvents) ? pendingOutbox(pool) : Promise.resolve(0),
      ]);
      const waitedSeconds = (Date.now() - started) / 1000;
      if ((kafkaLag === 0 && outboxPending === 0) || Date.now() - started >= timeoutMs) {
        return { drained: kafkaLag === 0 && outboxPending === 0, kafkaLag, outboxPending, waitedSeconds };
      }
      await delay(250);
    }
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka['admin']>;

async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) return 0;
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((lag, p) => {
    const end = Number(p.high);
    const at = done.get(p.partition) ?? -1;
    // No commit yet: everything from the log start is still to be consumed.
    return lag + Math.max(0, end - (at < 0 ? Number(p.low) : at));
  }, 0);
}

async function pendingOutbox(pool: mysql.Pool): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox_events WHERE sent_at IS NULL');
  return Number(rows[0]?.['n'] ?? 0);
}
