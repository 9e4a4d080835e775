import type mysql from 'mysql2/promise';
import type { Redis } from 'ioredis';
import type { PerfLabConfig } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { openRedis } from '../db/redis-client.ts';
import { manifestPath, writeManifest, type SeedManifest } from './seed-manifest.ts';
import { existingTables, missingSchema, resetTables, seedMysql } from './seed-mysql.ts';
import { seedRedis } from './seed-redis.ts';
import { seedThroughMapping } from './seed-mapped.ts';
import { settleCouponPipeline } from './settle-coupon-pipeline.ts';
import { FIRST_COME_COUPON_ID, ORDER_COUPON_ID, seedPlan, type SeedPlan } from './seed-plan.ts';

export interface SeedResult {
  readonly users: number;
  readonly coupons: number;
  readonly products: number;
  readonly seconds: number;
  readonly manifestFile: string;
  readonly manifest: SeedManifest;
}

export interface SeedOptions {
  readonly plan?: Partial<SeedPlan>;
  readonly onProgress?: (line: string) => void;
  /** Where the manifest goes; default the state folder. */
  readonly manifestFile?: string;
  /** How long a reset waits for a running consumer to apply an earlier run's coupon requests. */
  readonly settleTimeoutMs?: number;
}

async function seedReference(config: PerfLabConfig, pool: mysql.Pool, redis: Redis, plan: SeedPlan, options: SeedOptions, progress: (line: string) => void): Promise<void> {
  const missing = await missingSchema(pool);
  if (missing.length > 0) {
    throw new ConfigError(`database ${config.mysql.database} lacks table(s) ${missing.join(', ')} — ` +
      'start the reference server once (`perf-lab serve`, it applies its migrations) or migrate your own schema');
  }
  if (!plan.keep) {
    await settleCouponPipeline(config, pool, await existingTables(pool), options.settleTimeoutMs ?? 60_000, progress);
    await resetTables(pool);
    progress('reset previous seed data');
  }
  await seedMysql(pool, plan, progress);
  await seedRedis(redis, config.redisKeyPrefix, plan);
  progress('redis: stock counters, dedupe sets, sold-out flags');
}

/**
 * Resets both systems' data (unless `keep`), bulk-loads MySQL, primes Redis, writes the manifest;
 * on a declared schema, the same plan through the schema map (seed-mapped.ts).
 */
export async function seed(config: PerfLabConfig, options: SeedOptions = {}): Promise<SeedResult> {
  const plan = seedPlan(options.plan ?? {});
  const progress = options.onProgress ?? (() => undefined);
  const started = performance.now();
  const pool = await openMysql(config.mysql, 6);
  const redis = await openRedis(config.redis.url).catch(async (err: unknown) => {
    await pool.end();
    throw err;
  });
  try {
    if (config.schema.reference) await seedReference(config, pool, redis, plan, options, progress);
    else {
      // A declared schema is the user's system: no reference pipeline to settle; its own writers are the user's to stop first.
      await seedThroughMapping(pool, redis, config.schema, config.api.ids, config.redisKeyPrefix, plan, progress);
      if (config.schema.redis && !plan.keep) progress('redis: the declared stock counters, dedupe sets and sold-out flags');
    }
    const manifest: SeedManifest = {
      version: 1,
      seededAt: new Date().toISOString(),
      database: config.mysql.database,
      redisKeyPrefix: config.redisKeyPrefix,
      plan,
      coupons: [
        { id: FIRST_COME_COUPON_ID, total: plan.couponStock, issuedAtSeed: 0 },
        { id: ORDER_COUPON_ID, total: plan.orderCouponHolders, issuedAtSeed: plan.orderCouponHolders },
      ],
      products: Array.from({ length: plan.products }, (_, i) => ({ id: i + 1, initialQuantity: plan.productStock, price: plan.productPrice })),
      balanceRule: { firstUser: 1, lastUser: plan.users, initialBalance: plan.initialBalance },
    };
    const manifestFile = options.manifestFile ?? manifestPath(config.stateDir);
    writeManifest(manifestFile, manifest);
    const seconds = (performance.now() - started) / 1000;
    return { users: plan.users, coupons: manifest.coupons.length, products: plan.products, seconds, manifestFile, manifest };
  } finally {
    redis.disconnect();
    await pool.end();
  }
}
