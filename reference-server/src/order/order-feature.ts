import { orderEventsTopic, orderLockReleaseChannel } from '@perf-lab/contract';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type {} from '../plugins/kafka.ts';
import type {} from '../plugins/mysql.ts';
import type {} from '../plugins/redis.ts';
import { orderRoutes } from '../routes/orders/index.ts';
import { balanceRoutes } from '../routes/users/balance.ts';
import { cartRoutes } from '../routes/users/cart.ts';
import { userOrderRoutes } from '../routes/users/orders.ts';
import { DistributedLock } from './lock/distributed-lock.ts';
import { LockWakeUps } from './lock/lock-wake-ups.ts';
import { OrderService } from './order-service.ts';
import { OutboxRelay } from './outbox-relay.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Visible only inside the order feature (encapsulated). */
    orderService: OrderService;
  }
}

/**
 * Cart, balance and order routes with their lock and outbox relay. Encapsulated: it consumes
 * the shared mysql/redis/kafka decorations and adds nothing to the rest of the app; errors go
 * through the app's one handler.
 */
export const orderFeature: FastifyPluginAsync = async (app) => {
  const { order: config, redis } = app.config;
  const keyPrefix = redis.keyPrefix;

  let lock: DistributedLock | null = null;
  if (config.lockScope !== 'none') {
    // Pub/sub needs a connection of its own: a subscribed client can run nothing else.
    const subscriber = app.redis.duplicate();
    if (subscriber.status === 'wait') await subscriber.connect();
    subscriber.on('error', (err: Error) => app.log.warn({ err }, 'order lock subscriber connection error'));
    const wakeUps = new LockWakeUps(subscriber, orderLockReleaseChannel(keyPrefix));
    await wakeUps.start();
    lock = new DistributedLock(app.redis, wakeUps, { leaseMs: config.lockLeaseMs, waitMs: config.lockWaitMs });
    app.addHook('onClose', async () => {
      await wakeUps.stop();
      await subscriber.quit().catch(() => subscriber.disconnect());
    });
  }
  const relay = config.outboxRelay ? startRelayWithApp(app) : null;
  app.decorate('orderService', new OrderService({ pool: app.mysql, lock, config, keyPrefix, onPaid: () => relay?.nudge() }));

  await app.register(cartRoutes);
  await app.register(balanceRoutes);
  await app.register(orderRoutes);
  await app.register(userOrderRoutes);
};

function startRelayWithApp(app: FastifyInstance): OutboxRelay {
  const { order: config, kafka } = app.config;
  const relay = new OutboxRelay({
    pool: app.mysql,
    kafka: app.kafka,
    topic: orderEventsTopic(kafka.topicPrefix, config.outboxTopic),
    intervalMs: config.outboxIntervalMs,
    batchSize: config.outboxBatchSize,
    stats: app.stats.outbox,
    onError: (err) => app.log.error({ err }, 'outbox relay batch failed; it stays pending and is retried'),
  });
  app.addHook('onReady', async () => {
    await relay.start();
  });
  // Before the pool and the Kafka client close: onClose hooks run child-first.
  app.addHook('onClose', async () => {
    await relay.stop();
  });
  return relay;
}
