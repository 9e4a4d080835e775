import { couponKey } from '../../config/schema-map.ts';
import { seededId } from '../../seed/seed-manifest.ts';
import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type AuditContext, type Invariant } from '../invariant.ts';
import { recordId, type RecordId } from '../operation-line.ts';
import { issuanceRows } from './coupon-issuance.ts';

/** Members of a Redis set, read in SSCAN pages so a 100,000-member set never blocks Redis. */
async function setMembers(ctx: AuditContext, key: string): Promise<Set<RecordId>> {
  const members = new Set<RecordId>();
  let cursor = '0';
  do {
    const [next, page] = await ctx.redis.sscan(key, cursor, 10_000);
    for (const m of page) members.add(recordId(m));
    cursor = next;
  } while (cursor !== '0');
  return members;
}

export const couponRedisSetAgrees: Invariant = {
  name: 'coupon.redis-set-matches-db',
  meaning: 'the Redis dedupe set holds exactly the users the database says hold the coupon',
  system: 'coupon',
  mapped: true,
  needsCouponRedis: ['issued-set'],
  // Redis reserves first and the consumer writes MySQL later: requests still in Kafka are in
  // the set and not yet in the database.
  explainedByUndrained: (found, drain) => found.violations <= drain.kafkaLag,
  async check(ctx) {
    const pattern = ctx.schema.redis?.issuedSet;
    if (!pattern) return notApplicable('the schema declares no Redis dedupe set');
    if (!ctx.schema.holders) return notApplicable('the schema declares no coupon holders');
    // The reference set mirrors the strategies' own table only (the naive one keeps no set of its own rows).
    if (ctx.schema.reference && !ctx.tables.has('user_coupons')) return notApplicable('no user_coupons table');
    const holders = issuanceRows(ctx.schema.reference ? { ...ctx, holdingsTables: ['user_coupons'] } : ctx);
    let violations = 0;
    const examples: string[] = [];
    for (const { id: n } of ctx.manifest.coupons) {
      const id = seededId(ctx.ids.coupon, n);
      const inRedis = await setMembers(ctx, couponKey(ctx.redisKeyPrefix, pattern, id));
      const inDb = new Set((await rows(ctx.mysql, `SELECT user_id FROM ${holders} WHERE coupon_id = ?`, [id])).map((r) => recordId(r['user_id'])));
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
  mapped: true,
  needsCouponRedis: ['stock-counter', 'sold-out-flag'],
  explainedByUndrained: (_found, drain) => drain.kafkaLag > 0,
  async check(ctx) {
    const c = ctx.schema.coupons;
    const keys = ctx.schema.redis;
    if (!c || !ctx.tables.has(c.table)) return notApplicable('no coupons table declared or present');
    if (!keys?.stock) return notApplicable('the schema declares no Redis stock counter');
    const examples: string[] = [];
    let violations = 0;
    for (const { id: n } of ctx.manifest.coupons) {
      const id = seededId(ctx.ids.coupon, n);
      const [row] = await rows(ctx.mysql,
        `SELECT ${sqlId(c.total)} AS total, ${sqlId(c.issued)} AS issued FROM ${sqlId(c.table)} WHERE ${sqlId(c.id)} = ?`, [id]);
      if (!row) continue;
      const [stock, soldOut] = await Promise.all([
        ctx.redis.get(couponKey(ctx.redisKeyPrefix, keys.stock, id)),
        keys.soldOut ? ctx.redis.exists(couponKey(ctx.redisKeyPrefix, keys.soldOut, id)) : Promise.resolve(0),
      ]);
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
