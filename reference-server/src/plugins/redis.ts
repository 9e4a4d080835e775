import { Redis } from 'ioredis';
import { sharedPlugin, unreachable } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

/**
 * One ioredis client for the app. Auto-pipelining batches the Lua calls of concurrent
 * requests into one write per event-loop tick, which is most of the hot path's throughput.
 */
export const redisPlugin = sharedPlugin('redis', async (app) => {
  const { url } = app.config.redis;
  const redis = new Redis(url, {
    lazyConnect: true,
    enableAutoPipelining: true,
    // Fail a request fast when Redis is gone instead of holding it for 20 reconnect attempts.
    maxRetriesPerRequest: 1,
    // A paused or partitioned Redis answers nothing at all: fail the command (503) instead of
    // holding the request until the client's own timeout.
    commandTimeout: 2000,
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const target = new URL(url);
    throw unreachable('Redis', `${target.hostname}:${target.port || 6379}`, err);
  }
  // Without a listener ioredis prints reconnect errors to stderr itself.
  redis.on('error', (err: Error) => app.log.warn({ err }, 'redis connection error'));
  app.decorate('redis', redis);
  app.addHook('onClose', async () => {
    // QUIT on a connection that is already gone throws; closing must still finish.
    await redis.quit().catch(() => redis.disconnect());
  });
});
