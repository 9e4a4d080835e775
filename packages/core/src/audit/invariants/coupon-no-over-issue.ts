import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { issuanceRows } from './issuance-rows.ts';

export const couponNoOverIssue: Invariant = {
  name: 'coupon.no-over-issue',
  meaning: 'no coupon is issued beyond its total, by counter or by rows',
  system: 'coupon',
  async check(ctx) {
    if (!ctx.tables.has('coupons')) return notApplicable('no coupons table');
    const over = await rows(ctx.mysql,
      `SELECT c.id, c.total, c.issued, COALESCE(i.n, 0) AS held
       FROM coupons c LEFT JOIN (SELECT coupon_id, COUNT(*) AS n FROM ${issuanceRows(ctx.tables)} GROUP BY coupon_id) i ON i.coupon_id = c.id
       WHERE c.issued > c.total OR COALESCE(i.n, 0) > c.total ORDER BY c.id`);
    const excess = over.reduce((sum, r) => sum + Math.max(Number(r['issued']), Number(r['held'])) - Number(r['total']), 0);
    return verdict(excess, over.map((r) => `coupon ${r['id']}: total ${r['total']}, issued ${r['issued']}, rows ${r['held']}`));
  },
};
