import type { FastifyPluginAsync } from 'fastify';
import { reply as errorReply } from '../../errors.ts';
import { idBody } from '../schemas.ts';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  /** Readiness for load generators (k6 `setup()` fails fast on anything but 200). */
  app.get('/health', async (_req, reply) => {
    try {
      await Promise.all([app.mysql.query('SELECT 1'), app.redis.ping()]);
    } catch (err) {
      app.log.warn({ err }, 'health check failed');
      const r = errorReply('DEPENDENCY_UNAVAILABLE');
      return reply.code(r.statusCode).send(r.body);
    }
    return { status: 'ok', strategy: app.config.couponStrategy, consumer: app.stats.consumer };
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
