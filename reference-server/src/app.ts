import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from './config.ts';
import { couponFeature } from './coupon/coupon-feature.ts';
import { AppError, reply, toErrorReply } from './errors.ts';
import { orderFeature } from './order/order-feature.ts';
import { kafkaPlugin } from './plugins/kafka.ts';
import { mysqlPlugin } from './plugins/mysql.ts';
import { redisPlugin } from './plugins/redis.ts';
import { healthRoutes } from './routes/health/index.ts';
import { createServerStats } from './stats.ts';
import type { ServerStats } from './stats.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    stats: ServerStats;
  }
}

/**
 * The whole server as a fastify instance, not yet listening: shared infrastructure (MySQL
 * pool, Redis, Kafka producer) decorates the root, features are encapsulated plugins on top.
 * Tests call this and `inject()`; server.ts calls it and listens. Resolves when every plugin
 * is ready.
 */
export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
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
  app.decorate('stats', createServerStats());

  // The one error handler: features set none of their own, so every route answers alike.
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

  try {
    await app.register(mysqlPlugin);
    await app.register(redisPlugin);
    await app.register(kafkaPlugin);
    await app.register(healthRoutes);
    await app.register(couponFeature);
    await app.register(orderFeature);
    await app.ready();
  } catch (err) {
    // Close what did open (pool, clients) so a failed start does not keep the process alive.
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}
