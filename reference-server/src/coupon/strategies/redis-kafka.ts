import { randomUUID } from 'node:crypto';
import { couponIssueTopic } from '@perf-lab/contract';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../../errors.ts';
import { CouponRedis } from '../coupon-redis.ts';
import { startIssueConsumer } from '../issue-consumer.ts';
import { PendingSweeper } from '../pending-sweeper.ts';
import { findCoupon, findHeldCoupon, findLatestRejection, listHeldCoupons } from '../coupon-repository.ts';
import type { CouponIssuer } from '../coupon-issuer.ts';
import { IssueRequestPublisher } from '../issue-request-publisher.ts';
import { ensureTopicPartitions } from '../ensure-topic-partitions.ts';

export interface RedisKafkaDeps {
  readonly pool: Pool;
  readonly couponRedis: CouponRedis;
  readonly publisher: IssueRequestPublisher;
  readonly log: FastifyBaseLogger;
}

/**
 * The default: reserve in Redis (one Lua round trip), make the request durable in Kafka,
 * answer 202. The database is written by the consumer (issue-consumer.ts), which also
 * compensates Redis when the database disagrees. A reservation stays pending until the
 * consumer settles it; the PendingSweeper re-sends any whose message never arrived.
 */
export function redisKafkaIssuer({ pool, couponRedis, publisher, log }: RedisKafkaDeps): CouponIssuer {
  return {
    async issue(couponId, userId) {
      let reservation = await couponRedis.reserve(couponId, userId, randomUUID());
      if (reservation.outcome === 'stock-unknown') {
        // First request for this coupon since Redis was (re)seeded: load the remaining stock.
        const coupon = await findCoupon(pool, couponId);
        if (!coupon) throw new AppError('COUPON_NOT_FOUND');
        await couponRedis.initStock(couponId, coupon.total - coupon.issued);
        reservation = await couponRedis.reserve(couponId, userId, randomUUID());
      }
      // 'pending': this user's earlier request is not settled yet — its answer may have been a
      // 503, or lost. Refused like a holder: reserving again would give one user two requests
      // whose compensations could undo each other. The pending one completes (the consumer,
      // or the sweeper re-sending it), so a retry after a 5xx converges on one coupon.
      if (reservation.outcome === 'already-issued' || reservation.outcome === 'pending') throw new AppError('COUPON_ALREADY_ISSUED');
      if (reservation.outcome === 'sold-out') throw new AppError('COUPON_SOLD_OUT');
      if (reservation.outcome !== 'reserved') throw new Error(`stock key for coupon ${couponId} vanished during the request`);
      const { requestId } = reservation;
      try {
        await publisher.publish({ requestId, couponId, userId, requestedAt: new Date().toISOString() });
      } catch (err) {
        // A send that failed or timed out may still land, so the outcome is unknown: the
        // reservation stays pending, a retry re-sends it, and the sweeper does if nobody does.
        log.warn({ err, couponId, userId, requestId }, 'produce not acknowledged; the reservation stays pending');
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
  const partitions = await ensureTopicPartitions(app.kafka, topic, config.kafka.partitions);
  const publisher = new IssueRequestPublisher(app.kafkaProducer, topic, partitions);
  const issuer = redisKafkaIssuer({ pool: app.mysql, couponRedis, publisher, log });
  const sweeper = new PendingSweeper({
    couponRedis,
    publisher,
    timeoutMs: config.coupon.reservationTimeoutMs,
    intervalMs: config.coupon.sweepIntervalMs,
    onError: (err) => log.warn({ err }, 'pending reservation sweep failed; retried on the next tick'),
    onResent: (n) => log.info({ resent: n }, 're-sent pending reservations'),
  });
  sweeper.start();
  app.addHook('onClose', async () => {
    await sweeper.stop();
  });
  if (config.kafka.consumerEnabled) {
    const { consumer, joined } = startIssueConsumer({
      kafka: app.kafka,
      pool: app.mysql,
      couponRedis,
      topic,
      groupId: config.kafka.consumerGroup,
      sessionTimeoutMs: config.kafka.consumerSessionTimeoutMs,
      stats: app.stats.consumer,
      log,
    });
    joined.catch((err: unknown) => log.error({ err }, 'coupon issue consumer could not start; requests stay pending'));
    // Plugins close in reverse registration order, so the consumer finishes its current
    // messages while the pool, Redis and producer (registered earlier) are still open.
    app.addHook('onClose', async () => {
      await consumer.disconnect();
    });
  }
  return issuer;
}
