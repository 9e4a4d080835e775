import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'mysql2/promise';
import { applyIssueRequest } from './apply-issue-request.ts';
import type { CouponRedis } from './coupon-redis.ts';
import { decodeIssueRequest } from './issue-request-message.ts';

/** What the consumer did, message by message; served on /health and polled by tests. */
export interface IssueConsumerStats {
  issued: number;
  alreadyApplied: number;
  rejectedSoldOut: number;
  rejectedDuplicate: number;
  /** Rejections seen again on redelivery (already recorded). */
  redeliveredRejections: number;
  /** Issued rows whose Redis reservation had been undone (a produce that timed out but landed). */
  repaired: number;
  poison: number;
}

export function createIssueConsumerStats(): IssueConsumerStats {
  return { issued: 0, alreadyApplied: 0, rejectedSoldOut: 0, rejectedDuplicate: 0, redeliveredRejections: 0, repaired: 0, poison: 0 };
}

export interface IssueConsumerDeps {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly couponRedis: CouponRedis;
  readonly topic: string;
  readonly groupId: string;
  readonly stats: IssueConsumerStats;
  readonly log: FastifyBaseLogger;
}

/**
 * The consumer group that applies accepted requests. At-least-once: kafkajs marks a
 * message's offset for commit only when `eachMessage` resolves, i.e. after the DB commit and
 * the Redis compensation; a crash before that redelivers it, and applyIssueRequest makes the
 * redelivery harmless. A DB/Redis error throws, so kafkajs retries from the same offset.
 */
export async function startIssueConsumer(deps: IssueConsumerDeps): Promise<Consumer> {
  const { kafka, topic, groupId, log } = deps;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'coupon issue consumer crashed');
  });
  await consumer.connect();
  // fromBeginning: a brand-new group must not skip requests accepted before it first joined.
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    // One per partition: keys are user ids, so one user's messages stay in order.
    partitionsConsumedConcurrently: 3,
    eachMessage: ({ message }) => handleMessage(deps, message),
  });
  log.debug({ topic, groupId }, 'coupon issue consumer running');
  return consumer;
}

async function handleMessage(deps: IssueConsumerDeps, message: KafkaMessage): Promise<void> {
  const { pool, couponRedis, stats, log } = deps;
  const msg = decodeIssueRequest(message.value);
  if (!msg) {
    // Retrying cannot fix a malformed message, and blocking the partition would stall everyone.
    stats.poison += 1;
    log.error({ offset: message.offset }, 'skipping malformed coupon issue message');
    return;
  }
  const outcome = await applyIssueRequest(pool, msg);
  switch (outcome.kind) {
    case 'issued':
      if (await couponRedis.confirm(msg.couponId, msg.userId)) {
        stats.repaired += 1;
        log.warn({ ...msg }, 'issued a request whose reservation had been undone; Redis re-reserved');
      }
      stats.issued += 1;
      return;
    case 'already-applied':
      stats.alreadyApplied += 1;
      return;
    case 'rejected':
      // The seed's compensation table: DB sold out → INCR + SREM + flag; DB duplicate → INCR +
      // SREM. Run even on a redelivery: a crash may have come between the DB commit and here,
      // and the release only INCRs when its SREM removed the user, so it cannot double-count.
      await couponRedis.release(msg.couponId, msg.userId, outcome.reason === 'SOLD_OUT');
      if (!outcome.firstTime) stats.redeliveredRejections += 1;
      else if (outcome.reason === 'SOLD_OUT') stats.rejectedSoldOut += 1;
      else stats.rejectedDuplicate += 1;
      return;
  }
}
