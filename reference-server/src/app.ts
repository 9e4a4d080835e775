import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from './config.ts';
import type { AppConfig, ConfigOverrides } from './config.ts';
import { couponFeature } from './coupon/coupon-feature.ts';
import { createIssueConsumerStats } from './coupon/issue-consumer.ts';
import { AppError, reply, toErrorReply } from './errors.ts';
import { kafkaPlugin } from './plugins/kafka.ts';
import { mysqlPlugin } from './plugins/mysql.ts';
import { redisPlugin } from './plugins/redis.ts';
import { loadOrderConfig } from './order/order-config.ts';
import type { OrderConfig } from './order/order-config.ts';
import { orderPlugin } from './order/order-plugin.ts';
import { healthRoutes } from './routes/health/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
  }
}

/** What tests set beyond ConfigOverrides; server.ts leaves both at their defaults. */
export interface BuildAppOptions {
  /** Takes precedence over the REF_LOCK_* / REF_OUTBOX_* settings in `env`. */
  readonly order?: Partial<OrderConfig>;
  /**
   * Run the outbox relay in this process (the default). Tests that drive relays themselves
   * turn it off, or this one would mark their outbox rows sent first.
   */
  readonly outboxRelay?: boolean;
}

/**
 * The whole server as a fastify instance, not yet listening: shared infrastructure (MySQL
 * pool, Redis, Kafka producer) decorates the root, features are encapsulated plugins on top.
 * Tests call this and
 * `inject()`; server.ts calls it and listens. Resolves when every plugin is ready.
 */
export async function buildApp(
  overrides: ConfigOverrides = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const config = loadConfig(overrides, env);
  const app = Fastify({
    logger: { level: config.logLevel },
    // Two log lines per request would dominate a load test's CPU; perf-lab measures requests.
    logController: new LogController({ disableRequestLogging: true }),
    // No coercion, so `"userId": "5"` is a 400 rather than a silent 5 (path ids are validated
    // as digit strings instead); no stripping, so an unknown body field is a 400 too.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    bodyLimit: 64 * 1024,
  });
  // Only JSON is an accepted body; text/plain would otherwise reach the schema as a string.
  app.removeContentTypeParser('text/plain');
  app.decorate('config', config);

  app.setErrorHandler((err, req, res) => {
    const { statusCode, body } = toErrorReply(err);
    // Our own 5xx (e.g. KAFKA_UNAVAILABLE) were logged where they arose, with context.
    if (statusCode >= 500 && !(err instanceof AppError)) req.log.error({ err }, 'request failed');
    return res.code(statusCode).send(body);
  });
  app.setNotFoundHandler((_req, res) => {
    const { statusCode, body } = reply('ROUTE_NOT_FOUND');
    return res.code(statusCode).send(body);
  });

  const consumerStats = createIssueConsumerStats();
  try {
    await app.register(mysqlPlugin);
    await app.register(redisPlugin);
    await app.register(kafkaPlugin);
    await app.register(healthRoutes, { consumerStats });
    await app.register(couponFeature, { consumerStats });
    await app.register(orderPlugin, {
      config: loadOrderConfig(env, options.order),
      keyPrefix: config.redis.keyPrefix,
      topicPrefix: config.kafka.topicPrefix,
      relay: options.outboxRelay ?? true,
    });
    await app.ready();
  } catch (err) {
    // Close what did open (pool, clients) so a failed start does not keep the process alive.
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}
