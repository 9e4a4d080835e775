import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type {} from '../plugins/kafka.ts';
import type {} from '../plugins/mysql.ts';
import type {} from '../plugins/redis.ts';
import { DistributedLock } from './lock/distributed-lock.ts';
import { LockWakeUps } from './lock/lock-wake-ups.ts';
import type { OrderConfig } from './order-config.ts';
import { toErrorReply } from '../errors.ts';
import { lockReleaseChannel } from './order-lock-keys.ts';
import { OrderService } from './order-service.ts';
import { OutboxRelay } from './outbox-relay.ts';
import { balanceRoutes } from './routes/balance-routes.ts';
import { cartRoutes } from './routes/cart-routes.ts';
import { orderRoutes } from './routes/order-routes.ts';

export interface OrderPluginOptions {
  readonly config: OrderConfig;
  /** The app's Redis key prefix (REF_REDIS_KEY_PREFIX); tests use a unique one. */
  readonly keyPrefix?: string;
  /** Prepended to config.outboxTopic (REF_KAFKA_TOPIC_PREFIX). */
  readonly topicPrefix?: string;
  /**
   * Run the outbox relay in this process: started when the app is ready, stopped (after
   * its batch in flight) when it closes. Needs the kafka plugin registered before this one.
   */
  readonly relay?: boolean;
}

/**
 * Cart, balance and order routes with their lock and outbox relay. Encapsulated on purpose:
 * its error handler (the order codes, then the app's table) applies to these routes only.
 * Needs the mysql and redis plugins registered before it.
 */
export const orderPlugin: FastifyPluginAsync<OrderPluginOptions> = async (app, opts) => {
  const { config } = opts;
  const keyPrefix = opts.keyPrefix ?? '';

  let lock: DistributedLock | null = null;
  if (config.lockScope !== 'none') {
    // Pub/sub needs a connection of its own: a subscribed client can run nothing else.
    const subscriber = app.redis.duplicate();
    if (subscriber.status === 'wait') await subscriber.connect();
    subscriber.on('error', (err: Error) => app.log.warn({ err }, 'order lock subscriber connection error'));
    const wakeUps = new LockWakeUps(subscriber, lockReleaseChannel(keyPrefix));
    await wakeUps.start();
    lock = new DistributedLock(app.redis, wakeUps, { leaseMs: config.lockLeaseMs, waitMs: config.lockWaitMs });
    app.addHook('onClose', async () => {
      await wakeUps.stop();
      await subscriber.quit().catch(() => subscriber.disconnect());
    });
  }
  const orders = new OrderService({ pool: app.mysql, lock, config, keyPrefix });

  if (opts.relay) startRelayWithApp(app, config, opts.topicPrefix ?? '');

  // Same table as the app-level handler; set here too so the plugin answers alike when mounted alone.
  app.setErrorHandler((err, request, reply) => {
    const { statusCode, body } = toErrorReply(err);
    if (statusCode >= 500) request.log.error({ err }, 'order request failed');
    return reply.code(statusCode).send(body);
  });

  cartRoutes(app, config.txRetries);
  balanceRoutes(app, config.txRetries);
  orderRoutes(app, orders);
};

function startRelayWithApp(app: FastifyInstance, config: OrderConfig, topicPrefix: string): void {
  if (!app.hasDecorator('kafka')) throw new Error('the order outbox relay needs the kafka plugin registered before orderPlugin');
  const relay = new OutboxRelay({
    pool: app.mysql,
    kafka: app.kafka,
    topic: `${topicPrefix}${config.outboxTopic}`,
    intervalMs: config.outboxIntervalMs,
    batchSize: config.outboxBatchSize,
    onError: (err) => app.log.error({ err }, 'outbox relay batch failed; it stays pending and is retried'),
  });
  app.addHook('onReady', async () => {
    await relay.start();
  });
  // Before the pool and the Kafka client close: onClose hooks run child-first.
  app.addHook('onClose', async () => {
    await relay.stop();
  });
}
