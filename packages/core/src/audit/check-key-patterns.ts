import type { PerfLabConfig } from '../config/config.ts';
import { couponKey, type RedisKeysMap } from '../config/schema-map.ts';
import { openRedis } from '../db/redis-client.ts';
import { ConfigError } from '../errors.ts';
import { seededId, type SeedManifest } from '../seed/seed-manifest.ts';

/**
 * The declared Redis key patterns, checked against what the seed left in Redis before any load:
 * a pattern the seed must have written for some coupon — a stock counter for every coupon, a
 * dedupe set for one issued at the seed, a sold-out flag for one sold out at the seed — that
 * matches none of those keys is misspelt, and every Redis check over it would compare nothing.
 * Patterns the seed need not have written (an empty set does not exist in Redis) cannot be told.
 */
export function expectedKeys(redis: RedisKeysMap, manifest: SeedManifest, prefix: string, couponFormat: string): { where: string; pattern: string; keys: string[] }[] {
  const keysOf = (pattern: string | null, coupons: SeedManifest['coupons']) =>
    (pattern === null ? [] : coupons.map((c) => couponKey(prefix, pattern, seededId(couponFormat, c.id))));
  return [
    { where: 'schema.redis.stock', pattern: redis.stock, keys: keysOf(redis.stock, manifest.coupons) },
    { where: 'schema.redis.issuedSet', pattern: redis.issuedSet, keys: keysOf(redis.issuedSet, manifest.coupons.filter((c) => c.issuedAtSeed > 0)) },
    { where: 'schema.redis.soldOut', pattern: redis.soldOut, keys: keysOf(redis.soldOut, manifest.coupons.filter((c) => c.issuedAtSeed >= c.total)) },
  ].flatMap((e) => (e.pattern !== null && e.keys.length > 0 ? [{ where: e.where, pattern: e.pattern, keys: e.keys }] : []));
}

export async function checkKeyPatterns(config: PerfLabConfig, manifest: SeedManifest): Promise<void> {
  if (config.schema.reference || !config.schema.redis) return;
  const expected = expectedKeys(config.schema.redis, manifest, config.redisKeyPrefix, config.api.ids.coupon);
  if (expected.length === 0) return;
  const redis = await openRedis(config.redis.url);
  try {
    const problems: string[] = [];
    for (const { where, pattern, keys } of expected) {
      if ((await redis.exists(...keys)) > 0) continue;
      problems.push(`${where}: the pattern "${pattern}" matches no key after seeding (looked for ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''})`);
    }
    if (problems.length > 0) {
      throw new ConfigError(`the declared Redis keys do not match what the seed wrote:\n  ${problems.join('\n  ')}\n` +
        'fix the `schema.redis` of perf-lab.config.* (docs/your-own-system.md), or seed Redis as your service does');
    }
  } finally {
    redis.disconnect();
  }
}
