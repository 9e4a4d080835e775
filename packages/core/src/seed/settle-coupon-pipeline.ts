import { Kafka, logLevel } from 'kafkajs';
import type mysql from 'mysql2/promise';
import { AuditKafka } from '../audit/audit-kafka.ts';
import type { AuditDb } from '../audit/audit-services.ts';
import { couponTopic, waitUntilDrained, type DrainState } from '../audit/drain.ts';
import type { PerfLabConfig } from '../config/config.ts';
import { ServiceError, errorMessage } from '../errors.ts';

export interface SettleOutcome {
  /** Seconds spent waiting for a running consumer to catch up. */
  readonly waitedSeconds: number;
  /** Requests of an earlier run that no consumer was reading, skipped so none lands on the new seed. */
  readonly discarded: number;
}

/**
 * Before a reset, nothing from an earlier run may still be on its way into the tables: a
 * coupon request still in Kafka would be applied after the reset, onto the new seed (its
 * user then holds a coupon the new Redis state never issued). With a consumer in the group
 * (a reference server is running), wait, bounded, until it has caught up and the outbox is
 * sent; with none, move the group past those requests so a later consumer skips them.
 */
export async function settleCouponPipeline(
  config: PerfLabConfig, pool: mysql.Pool, tables: ReadonlySet<string>, timeoutMs: number, progress: (line: string) => void,
): Promise<SettleOutcome> {
  const db: AuditDb = { query: async (sql, params = []) => (await pool.query<mysql.RowDataPacket[]>(sql, params as unknown[]))[0] };
  // The audit's Kafka view: every call bounded, a silent broker named with its address.
  const kafka = await unlessKafkaUnreachable(config, () => AuditKafka.open(config, 10_000));
  try {
    return await settle(config, kafka, db, tables, timeoutMs, progress);
  } finally {
    await kafka.close();
  }
}

async function settle(
  config: PerfLabConfig, kafka: AuditKafka, db: AuditDb, tables: ReadonlySet<string>, timeoutMs: number, progress: (line: string) => void,
): Promise<SettleOutcome> {
  const now = await unlessKafkaUnreachable(config, () => waitUntilDrained(config, kafka, db, tables, 0));
  if (now.drained) return { waitedSeconds: 0, discarded: 0 };
  const groupId = config.kafka.consumerGroup;
  const topic = couponTopic(config);
  const admin = new Kafka({ clientId: 'perf-lab-seed', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await unlessKafkaUnreachable(config, () => admin.connect());
  try {
    const { groups } = await admin.describeGroups([groupId]);
    if ((groups[0]?.members.length ?? 0) === 0) {
      // Kafka refuses to move the offsets of a group that has members; one that joined since
      // the look above makes this throw, and then we wait for it like any running consumer.
      const discarded = now.kafkaLag;
      const moved = discarded === 0 || await skipToEnd(admin, groupId, topic).then(() => true, () => false);
      if (moved) {
        // Messages, not requests: a message may carry several (the reference server packs a produce batch).
        if (discarded > 0) progress(`kafka: skipped ${discarded} coupon-topic message(s) of an earlier run that no consumer had applied`);
        return { waitedSeconds: 0, discarded };
      }
    }
  } finally {
    await admin.disconnect();
  }
  progress(`waiting for the coupon pipeline to drain before the reset (Kafka lag ${now.kafkaLag}, outbox pending ${now.outboxPending})`);
  const after = await unlessKafkaUnreachable(config, () => waitUntilDrained(config, kafka, db, tables, timeoutMs));
  if (!after.drained) throw notDrained(config, after, timeoutMs);
  return { waitedSeconds: after.waitedSeconds, discarded: 0 };
}

type Admin = ReturnType<Kafka['admin']>;

/**
 * Commits the group at each partition's end. Not kafkajs's resetOffsets: it commits -1 ("latest"),
 * which a consumer subscribed `fromBeginning` reads as "no offset" and starts from the beginning.
 */
async function skipToEnd(admin: Admin, groupId: string, topic: string): Promise<void> {
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
}

function notDrained(config: PerfLabConfig, state: DrainState, timeoutMs: number): ServiceError {
  return new ServiceError('kafka', config.kafka.brokers.join(','),
    `the coupon pipeline did not drain within ${timeoutMs / 1000}s (Kafka lag ${state.kafkaLag} for consumer group ` +
      `${config.kafka.consumerGroup} on ${couponTopic(config)}, outbox pending ${state.outboxPending}): a running consumer is ` +
      'still applying an earlier run\'s requests, and a reset now would let them land on the new seed — ' +
      'wait and seed again, or stop the reference server first (then its unapplied requests are skipped)');
}

async function unlessKafkaUnreachable<T>(config: PerfLabConfig, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    const brokers = config.kafka.brokers.join(',');
    throw new ServiceError('kafka', brokers,
      `cannot reach Kafka at ${brokers} to check that no earlier run's coupon requests are still in flight ` +
        `(${errorMessage(err)}) — is the lab up? run \`perf-lab up\``, { cause: err });
  }
}
