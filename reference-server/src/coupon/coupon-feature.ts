import type { FastifyPluginAsync } from 'fastify';
import { couponRoutes } from '../routes/coupons/index.ts';
import { userCouponRoutes } from '../routes/users/coupons.ts';
import { CouponRedis } from './coupon-redis.ts';
import type { CouponIssuer } from './coupon-issuer.ts';
import { startIssueConsumer } from './issue-consumer.ts';
import { issueRequestTopic } from './issue-request-message.ts';
import { dbOnlyIssuer } from './strategies/db-only.ts';
import { naiveIssuer } from './strategies/naive.ts';
import { redisKafkaIssuer } from './strategies/redis-kafka.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Visible only inside the coupon feature (encapsulated). */
    couponIssuer: CouponIssuer;
  }
}

/**
 * First-come coupon issuance: picks the strategy, runs the consumer group (redis-kafka),
 * and registers the coupon routes. Encapsulated: it consumes the shared mysql/redis/kafka
 * decorations and adds nothing to the rest of the app.
 */
export const couponFeature: FastifyPluginAsync = async (app) => {
  const { config } = app;
  const log = app.log.child({ feature: 'coupon' });
  if (config.couponStrategy === 'db-only') app.decorate('couponIssuer', dbOnlyIssuer(app.mysql));
  else if (config.couponStrategy === 'naive') app.decorate('couponIssuer', naiveIssuer(app.mysql));
  else {
    const topic = issueRequestTopic(config.kafka.topicPrefix);
    const couponRedis = new CouponRedis(app.redis, config.redis.keyPrefix);
    await ensureTopic(app.kafka, topic);
    app.decorate(
      'couponIssuer',
      redisKafkaIssuer({ pool: app.mysql, couponRedis, producer: app.kafkaProducer, topic, log }),
    );
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
  }
  await app.register(couponRoutes);
  await app.register(userCouponRoutes);
};

/** Explicit, so the partition count does not depend on the broker's auto-create default. */
async function ensureTopic(kafka: import('kafkajs').Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
