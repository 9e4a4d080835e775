import { TABLES } from '@perf-lab/contract';
import { notApplicable, verdict, type Invariant } from '../invariant.ts';
import { couponCounts } from './coupon-issuance.ts';

export const couponNoOverIssue: Invariant = {
  name: 'coupon.no-over-issue',
  meaning: 'no coupon is issued beyond its total, by counter or by rows',
  system: 'coupon',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.coupons)) return notApplicable('no coupons table');
    const over = (await couponCounts(ctx)).filter((c) => c.issued > c.total || c.held > c.total);
    const excess = over.reduce((sum, c) => sum + Math.max(c.issued, c.held) - c.total, 0);
    return verdict(excess, over.map((c) => `coupon ${c.id}: total ${c.total}, issued ${c.issued}, rows ${c.held}`));
  },
};
