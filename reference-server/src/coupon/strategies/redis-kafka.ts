import { randomUUID } from 'node:crypto';
import { couponIssueTopic } from '@perf-lab/contract';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../../errors.ts';
import type { BatchedProducer } from '../../plugins/kafka-batched-producer.ts';
import { CouponRedis } from '../coupon-redis.ts';
import { startIssueConsumer } from '../issue-consumer.ts';
import { findCoupon, findHeldCoupon, findLatestRejection, listHeldCoupons } from '../coupon-repository.ts';
import type { CouponIssuer } from '../coupon-issuer.ts';
import { encodeIssueRequest } from '../issue-request-message.ts';

export interface RedisKafkaDeps {
  readonly pool: Pool;
  readonly couponRedis: CouponRedis;
  readonly producer: BatchedProducer;
  readonly topic: string;
  readonly log: FastifyBaseLogger;
}

/**
 * The default: reserve in Redis (one Lua round trip), make the request durable in Kafka,
 * answer 202. The database is written by the consumer (issue-consumer.ts), which also
 * compensates Redis when the database disagrees.
 */
export function redisKafkaIssuer({ pool, couponRedis, producer, topic, log }: RedisKafkaDeps): CouponIssuer {
  return {
    strategy: 'redis-kafka',

    async issue(couponId, userId) {
      let outcome = await couponRedis.reserve(couponId, userId);
      if (outcome === 'stock-unknown') {
        // First request for this coupon since Redis was (re)seeded: load the remaining stock.
        const coupon = await findCoupon(pool, couponId);
        if (!coupon) throw new AppError('COUPON_NOT_FOUND');
        await couponRedis.initStock(couponId, coupon.total - coupon.issued);
        outcome = await couponRedis.reserve(couponId, userId);
      }
      if (outcome === 'already-issued') throw new AppError('COUPON_ALREADY_ISSUED');
      if (outcome === 'sold-out') throw new AppError('COUPON_SOLD_OUT');
      if (outcome === 'stock-unknown') throw new Error(`stock key for coupon ${couponId} vanished during the request`);

      const requestId = randomUUID();
      try {
        await producer.send(
          topic,
          encodeIssueRequest({ v: 1, requestId, couponId, userId, requestedAt: new Date().toISOString() }),
        );
      } catch (err) {
        // Nothing is acknowledged that is not durable: give the reservation back before the 503.
        await couponRedis.release(couponId, userId, false);
        log.warn({ err, couponId, userId }, 'produce failed; reservation undone');
        throw new AppError('KAFKA_UNAVAILABLE', undefined, { cause: err });
      }
      return { statusCode: 202, body: { status: 'PENDING', requestId } };
    },

    async issueStatus(couponId, userId) {
      const held = await findHeldCoupon(pool, userId, couponId);
      if (held) return { status: 'ISSUED', issuedAt: held.issuedAt };
      // In the set but not in the table: accepted, the consumer has not applied it yet.
      if (await couponRedis.isPending(couponId, userId)) return { status: 'PENDING' };
      const reason = await findLatestRejection(pool, userId, couponId);
      return reason ? { status: 'REJECTED', reason } : null;
    },

    async getCoupon(couponId) {
      const c = await findCoupon(pool, couponId);
      if (!c) return null;
      return { ...c, remaining: c.total - c.issued, redis: await couponRedis.snapshot(couponId) };
    },

    async listUserCoupons(userId) {
      return (await listHeldCoupons(pool, userId)).map(({ couponId, issuedAt, usedOrderId }) => ({ couponId, issuedAt, usedOrderId }));
    },
  };
}

/**
 * Creates the topic, the issuer and (unless REF_CONSUMER_ENABLED=false) the consumer group;
 * the consumer is disconnected when the app closes.
 */
export async function startRedisKafka(app: FastifyInstance, log: FastifyBaseLogger): Promise<CouponIssuer> {
  const { config } = app;
  const topic = couponIssueTopic(config.kafka.topicPrefix);
  const couponRedis = new CouponRedis(app.redis, config.redis.keyPrefix);
  await ensureTopic(app.kafka, topic);
  const issuer = redisKafkaIssuer({ pool: app.mysql, couponRedis, producer: app.kafkaProducer, topic, log });
  if (config.kafka.consumerEnabled) {
    const consumer = await startIssueConsumer({
      kafka: app.kafka,
      pool: app.mysql,
      couponRedis,
      topic,
      groupId: config.kafka.consumerGroup,
      stats: app.stats.consumer,
      log,
    });
    // Plugins close in reverse registration order, so the consumer finishes its current
    // messages while the pool, Redis and producer (registered earlier) are still open.
    app.addHook('onClose', async () => {
      await consumer.disconnect();
    });
  }
  return issuer;
}

/** Explicit, so the partition count does not depend on the broker's auto-create default. */
async function ensureTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
