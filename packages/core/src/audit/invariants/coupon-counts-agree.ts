import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { issuanceRows } from './issuance-rows.ts';

export const couponCountsAgree: Invariant = {
  name: 'coupon.db-counter-matches-rows',
  meaning: "each coupon's issued counter equals the rows of users holding it",
  system: 'coupon',
  async check(ctx) {
    if (!ctx.tables.has('coupons')) return notApplicable('no coupons table');
    const off = await rows(ctx.mysql,
      `SELECT c.id, c.issued, COALESCE(i.n, 0) AS held
       FROM coupons c LEFT JOIN (SELECT coupon_id, COUNT(*) AS n FROM ${issuanceRows(ctx.tables)} GROUP BY coupon_id) i ON i.coupon_id = c.id
       WHERE c.issued <> COALESCE(i.n, 0) ORDER BY c.id`);
    const diff = off.reduce((sum, r) => sum + Math.abs(Number(r['issued']) - Number(r['held'])), 0);
    return verdict(diff, off.map((r) => `coupon ${r['id']}: issued ${r['issued']}, rows ${r['held']}`));
  },
};
