import { notApplicable, verdict, type Invariant } from '../invariant.ts';
import { couponCounts } from './coupon-issuance.ts';

export const couponCountsAgree: Invariant = {
  name: 'coupon.db-counter-matches-rows',
  meaning: "each coupon's issued counter equals the rows of users holding it",
  system: 'coupon',
  mapped: true,
  async check(ctx) {
    if (!ctx.schema.coupons || !ctx.tables.has(ctx.schema.coupons.table)) return notApplicable('no coupons table declared or present');
    if (!ctx.schema.holders) return notApplicable('the schema declares no coupon holders');
    const off = (await couponCounts(ctx)).filter((c) => c.issued !== c.held);
    return verdict(off.reduce((sum, c) => sum + Math.abs(c.issued - c.held), 0), off.map((c) => `coupon ${c.id}: issued ${c.issued}, rows ${c.held}`));
  },
};
