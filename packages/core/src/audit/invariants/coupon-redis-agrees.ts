import { couponKeys, TABLES } from '@perf-lab/contract';
import { notApplicable, rows, verdict, type AuditContext, type Invariant } from '../invariant.ts';

/** Members of a Redis set, read in SSCAN pages so a 100,000-member set never blocks Redis. */
async function setMembers(ctx: AuditContext, key: string): Promise<Set<number>> {
  const members = new Set<number>();
  let cursor = '0';
  do {
    const [next, page] = await ctx.redis.sscan(key, cursor, 10_000);
    for (const m of page) members.add(Number(m));
    cursor = next;
  } while (cursor !== '0');
  return members;
}

export const couponRedisSetAgrees: Invariant = {
  name: 'coupon.redis-set-matches-db',
  meaning: 'the Redis dedupe set holds exactly the users the database says hold the coupon',
  system: 'coupon',
  needsCouponRedis: ['issued-set'],
  // Redis reserves first and the consumer writes MySQL later: requests still in Kafka are in
  // the set and not yet in the database.
  explainedByUndrained: (found, drain) => found.violations <= drain.kafkaLag,
  async check(ctx) {
    if (!ctx.tables.has(TABLES.userCoupons)) return notApplicable('no user_coupons table');
    let violations = 0;
    const examples: string[] = [];
    for (const { id } of ctx.manifest.coupons) {
      const inRedis = await setMembers(ctx, couponKeys(ctx.redisKeyPrefix, id).issued);
      const inDb = new Set((await rows(ctx.mysql, 'SELECT user_id FROM user_coupons WHERE coupon_id = ?', [id])).map((r) => Number(r['user_id'])));
      for (const u of inRedis) if (!inDb.has(u)) {
        violations++;
        examples.push(`coupon ${id} user ${u}: in Redis, not in DB`);
      }
      for (const u of inDb) if (!inRedis.has(u)) {
        violations++;
        examples.push(`coupon ${id} user ${u}: in DB, not in Redis`);
      }
    }
    return verdict(violations, examples);
  },
};

export const couponRedisStockAgrees: Invariant = {
  name: 'coupon.redis-stock-matches-db',
  meaning: 'the Redis stock counter equals total − issued, and the sold-out flag is set only when the DB is sold out',
  system: 'coupon',
  needsCouponRedis: ['stock-counter', 'sold-out-flag'],
  explainedByUndrained: (_found, drain) => drain.kafkaLag > 0,
  async check(ctx) {
    if (!ctx.tables.has(TABLES.coupons)) return notApplicable('no coupons table');
    const examples: string[] = [];
    let violations = 0;
    for (const { id } of ctx.manifest.coupons) {
      const [row] = await rows(ctx.mysql, 'SELECT total, issued FROM coupons WHERE id = ?', [id]);
      if (!row) continue;
      const keys = couponKeys(ctx.redisKeyPrefix, id);
      const [stock, soldOut] = await Promise.all([ctx.redis.get(keys.stock), ctx.redis.exists(keys.soldOut)]);
      const expected = Number(row['total']) - Number(row['issued']);
      if (stock === null || Number(stock) !== expected) {
        violations++;
        examples.push(`coupon ${id}: Redis stock ${stock ?? 'missing'}, DB total − issued = ${expected}`);
      }
      if (soldOut === 1 && expected > 0) {
        violations++;
        examples.push(`coupon ${id}: sold-out flag set with ${expected} left in the DB`);
      }
    }
    return verdict(violations, examples);
  },
};
