import { notApplicable, verdict, type Invariant } from '../invariant.ts';
import { couponCounts } from './coupon-issuance.ts';

export const couponNoOverIssue: Invariant = {
  name: 'coupon.no-over-issue',
  meaning: 'no coupon is issued beyond its total, by counter or by rows',
  system: 'coupon',
  mapped: true,
  async check(ctx) {
    if (!ctx.schema.coupons || !ctx.tables.has(ctx.schema.coupons.table)) return notApplicable('no coupons table declared or present');
    const over = (await couponCounts(ctx)).filter((c) => c.issued > c.total || c.held > c.total);
    const excess = over.reduce((sum, c) => sum + Math.max(c.issued, c.held) - c.total, 0);
    return verdict(excess, over.map((c) => `coupon ${c.id}: total ${c.total}, issued ${c.issued}, rows ${c.held}`));
  },
};
