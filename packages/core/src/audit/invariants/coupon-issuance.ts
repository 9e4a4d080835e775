import { rows, sharedRead, type AuditContext } from '../invariant.ts';
import { firstRunId, type RunStart } from '../run-start.ts';

/**
 * The rows that say "user U holds coupon C", from every holdings table the contract's
 * strategies name (the `naive` one writes a table of its own without the unique key, which is
 * what makes it broken); all that exist count. With a run start, only the rows the run added.
 */
export function issuanceRows(ctx: Pick<AuditContext, 'tables' | 'holdingsTables'>, since?: RunStart): string {
  const sources = ctx.holdingsTables.filter((t) => ctx.tables.has(t));
  const from = (t: string) => (since ? ` WHERE id >= ${firstRunId(since, t)}` : '');
  return `(${sources.map((t) => `SELECT user_id, coupon_id FROM ${t}${from(t)}`).join(' UNION ALL ')}) AS issuance`;
}

export interface CouponCounts {
  readonly id: number;
  readonly total: number;
  readonly issued: number;
  /** Rows of users holding it. */
  readonly held: number;
}

/** Each coupon's total, issued counter and holder rows: what the counting invariants compare. */
export function couponCounts(ctx: AuditContext): Promise<CouponCounts[]> {
  return sharedRead(ctx, 'coupon-counts', () => readCouponCounts(ctx));
}

async function readCouponCounts(ctx: AuditContext): Promise<CouponCounts[]> {
  const found = await rows(ctx.mysql,
    `SELECT c.id, c.total, c.issued, COALESCE(i.n, 0) AS held
     FROM coupons c LEFT JOIN (SELECT coupon_id, COUNT(*) AS n FROM ${issuanceRows(ctx)} GROUP BY coupon_id) i ON i.coupon_id = c.id
     ORDER BY c.id`);
  return found.map((r) => ({ id: Number(r['id']), total: Number(r['total']), issued: Number(r['issued']), held: Number(r['held']) }));
}
