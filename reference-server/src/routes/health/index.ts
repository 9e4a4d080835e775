import type { FastifyPluginAsync } from 'fastify';
import { reply as errorReply } from '../../errors.ts';
import { withTimeout } from '../../with-timeout.ts';
import { idBody } from '../schemas.ts';

const HEALTH_TIMEOUT_MS = 1500;

export const healthRoutes: FastifyPluginAsync = async (app) => {
  /** Readiness for load generators (k6 `setup()` fails fast on anything but 200). */
  app.get('/health', async (_req, reply) => {
    try {
      // Every service the API needs to answer a write, each bounded: a paused service must
      // make /health fail fast, not hang the load generator's setup().
      await Promise.all([
        withTimeout(app.mysql.query('SELECT 1'), HEALTH_TIMEOUT_MS, 'MySQL did not answer'),
        withTimeout(app.redis.ping(), HEALTH_TIMEOUT_MS, 'Redis did not answer'),
        app.kafkaPing(HEALTH_TIMEOUT_MS),
      ]);
    } catch (err) {
      app.log.warn({ err }, 'health check failed');
      const r = errorReply('DEPENDENCY_UNAVAILABLE');
      return reply.code(r.statusCode).send(r.body);
    }
    // The workers' counts show, per instance, that several servers share the topic and the outbox.
    return { status: 'ok', strategy: app.config.couponStrategy, consumer: app.stats.consumer, outbox: app.stats.outbox };
  });

  /**
   * Does nothing, on the same server, plugins and serializer: the ceiling against which the
   * coupon endpoint's throughput is measured (bench/coupon-issue.ts). The POST parses and
   * validates the issue endpoint's body, so the ratio isolates the coupon work itself.
   */
  const ok = { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } as const;
  app.get('/api/noop', { schema: ok }, async () => ({ ok: true }));
  app.post(
    '/api/noop',
    {
      bodyLimit: 1024,
      schema: {
        ...ok,
        body: { type: 'object', properties: { userId: idBody }, required: ['userId'], additionalProperties: false },
      },
    },
    async () => ({ ok: true }),
  );
};
