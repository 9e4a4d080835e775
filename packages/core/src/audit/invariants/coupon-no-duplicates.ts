import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { issuanceRows } from './coupon-issuance.ts';

export const couponNoDuplicates: Invariant = {
  name: 'coupon.no-duplicate-issuance',
  meaning: 'no user holds the same coupon twice',
  system: 'coupon',
  mapped: true,
  async check(ctx) {
    if (!ctx.schema.holders) return notApplicable('the schema declares no coupon holders');
    if (ctx.schema.reference && !ctx.tables.has('user_coupons')) return notApplicable('no user_coupons table');
    const dupes = await rows(ctx.mysql,
      `SELECT coupon_id, user_id, COUNT(*) AS n FROM ${issuanceRows(ctx)}
       GROUP BY coupon_id, user_id HAVING n > 1 ORDER BY coupon_id, user_id`);
    const extra = dupes.reduce((sum, r) => sum + Number(r['n']) - 1, 0);
    return verdict(extra, dupes.map((r) => `coupon ${r['coupon_id']} user ${r['user_id']} ×${r['n']}`));
  },
};
