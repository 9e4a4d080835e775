import Fastify, { LogController } from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientErrorHandler, refuseOutsideRoutes } from './client-error.ts';
import type { AppConfig } from './config.ts';
import { couponFeature } from './coupon/coupon-feature.ts';
import { AppError, reply, toErrorReply } from './errors.ts';
import { orderFeature } from './order/order-feature.ts';
import { recordRoutes } from './route-catalog.ts';
import { kafkaPlugin } from './plugins/kafka.ts';
import { mysqlPlugin } from './plugins/mysql.ts';
import { redisPlugin } from './plugins/redis.ts';
import { strictBodyPlugin } from './plugins/strict-body.ts';
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
    // Slow or stalled clients must not hold connections (or a graceful shutdown) for minutes:
    // the head must arrive within headersTimeoutMs, the whole request within requestTimeoutMs
    // (408 and close), a socket silent that long is closed, an idle keep-alive after
    // keepAliveTimeoutMs. Node checks these deadlines every connectionsCheckingInterval (30 s
    // by default, which would overshoot every bound), so it is set to a fraction of them.
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // Errors fastify raises outside a route (a URL that does not decode, an overlong path
    // parameter) and those Node's parser raises before fastify: the same error body as any other.
    frameworkErrors: handleError,
    clientErrorHandler,
    http: {
      headersTimeout: Math.min(config.http.headersTimeoutMs, config.http.requestTimeoutMs),
      requestTimeout: config.http.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.http.headersTimeoutMs / 4))),
    },
  });
  refuseOutsideRoutes(app.server);
  app.decorate('config', config);
  app.decorate('stats', createServerStats());
  recordRoutes(app);

  // The one error handler: features set none of their own, so every route answers alike.
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_req, res) => {
    const { statusCode, body } = reply('ROUTE_NOT_FOUND');
    return res.code(statusCode).send(body);
  });

  try {
    await app.register(strictBodyPlugin);
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

function handleError(err: FastifyError | Error, req: FastifyRequest, res: FastifyReply): FastifyReply {
  const { statusCode, body } = toErrorReply(err);
  // Our own 5xx (e.g. KAFKA_UNAVAILABLE) were logged where they arose, with context.
  if (statusCode >= 500 && !(err instanceof AppError)) req.log.error({ err }, 'request failed');
  return res.code(statusCode).send(body);
}
