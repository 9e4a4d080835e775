import { couponIssueTopic } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import type { OutboxMap } from '../config/schema-map.ts';
import { sqlId } from './check-declarations.ts';
import { delay } from '../lab/managed-process.ts';
import type { AuditDb } from './audit-services.ts';
import type { AuditKafka } from './audit-kafka.ts';

/** The topic the coupon flow queues requests on (the declared one, else the reference server's), under this lab's topic prefix. */
export function couponTopic(config: PerfLabConfig): string {
  const declared = config.schema.kafka?.couponRequests;
  return declared ? `${config.kafka.topicPrefix}${declared}` : couponIssueTopic(config.kafka.topicPrefix);
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
      lagOrNull(kafka, config.kafka.consumerGroup, couponTopic(config), Date.now() - started < Math.max(timeoutMs, COORDINATOR_GRACE_MS)),
      config.schema.outbox && tables.has(config.schema.outbox.table) ? pendingOutbox(db, config.schema.outbox) : Promise.resolve(0),
    ]);
    const waitedSeconds = (Date.now() - started) / 1000;
    if (kafkaLag === null) {
      await delay(250);
      continue;
    }
    if ((kafkaLag === 0 && outboxPending === 0) || Date.now() - started >= timeoutMs) {
      return { drained: kafkaLag === 0 && outboxPending === 0, kafkaLag, outboxPending, waitedSeconds };
    }
    await delay(250);
  }
}

/**
 * How long a coordinator that is loading or moving may take before its error stands, also
 * for a caller that only asks "drained right now?" (timeout 0): after a broker or consumer
 * group starts this takes seconds, and the answer is "not known yet", not "unreachable".
 */
const COORDINATOR_GRACE_MS = 15_000;

/**
 * null while the group's coordinator is still loading or moving (a retriable Kafka error, e.g.
 * NOT_COORDINATOR right after a broker or a consumer group starts): the lag is not known yet,
 * so keep waiting — but only while there is time left; then the error stands.
 */
async function lagOrNull(kafka: AuditKafka, groupId: string, topic: string, timeLeft: boolean): Promise<number | null> {
  try {
    return await kafka.consumerLag(groupId, topic);
  } catch (err) {
    const cause = (err as { cause?: { retriable?: unknown } }).cause;
    if (timeLeft && cause?.retriable === true) return null;
    throw err;
  }
}

async function pendingOutbox(db: AuditDb, outbox: OutboxMap): Promise<number> {
  const [row] = await db.query(`SELECT COUNT(*) AS n FROM ${sqlId(outbox.table)} WHERE ${sqlId(outbox.sentAt)} IS NULL`);
  return Number(row?.['n'] ?? 0);
}
