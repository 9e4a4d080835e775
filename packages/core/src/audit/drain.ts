import { couponIssueTopic, TABLES } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { delay } from '../lab/managed-process.ts';
import type { AuditDb } from './audit-services.ts';
import type { AuditKafka } from './audit-kafka.ts';

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
 * unsent: only then does the final state mean anything. Not drained in time → what the
 * pipeline still holds is indeterminate, and the verdict can be no better than unknown.
 */
export async function waitUntilDrained(config: PerfLabConfig, kafka: AuditKafka, db: AuditDb, tables: ReadonlySet<string>, timeoutMs: number): Promise<DrainState> {
  const started = Date.now();
  for (;;) {
    const [kafkaLag, outboxPending] = await Promise.all([
      kafka.consumerLag(config.kafka.consumerGroup, couponTopic(config)),
      tables.has(TABLES.outboxEvents) ? pendingOutbox(db) : Promise.resolve(0),
    ]);
    const waitedSeconds = (Date.now() - started) / 1000;
    if ((kafkaLag === 0 && outboxPending === 0) || Date.now() - started >= timeoutMs) {
      return { drained: kafkaLag === 0 && outboxPending === 0, kafkaLag, outboxPending, waitedSeconds };
    }
    await delay(250);
  }
}

async function pendingOutbox(db: AuditDb): Promise<number> {
  const [row] = await db.query('SELECT COUNT(*) AS n FROM outbox_events WHERE sent_at IS NULL');
  return Number(row?.['n'] ?? 0);
}
