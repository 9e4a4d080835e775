import { sqlId } from '../check-declarations.ts';
import { rows, sharedRead, type AuditContext } from '../invariant.ts';
import { addedByRun } from '../mapped-sql.ts';
import type { RunStart } from '../run-start.ts';

/**
 * The rows that say "user U holds coupon C", as (user_id, coupon_id), from the holdings tables
 * the schema map declares — by default every one the contract's strategies name (the `naive`
 * one writes a table of its own without the unique key, which is what makes it broken); all
 * that exist count. With a run start, only the rows the run added. Empty when the system
 * declares no holders.
 */
export function issuanceRows(ctx: Pick<AuditContext, 'tables' | 'holdingsTables' | 'schema'>, since?: RunStart): string {
  const holders = ctx.schema.holders;
  if (!holders) return '(SELECT NULL AS user_id, NULL AS coupon_id FROM DUAL WHERE FALSE) AS issuance';
  const declared = holders.tables.length > 0 ? holders.tables : ctx.holdingsTables;
  const sources = declared.filter((t) => ctx.tables.has(t));
  const from = (t: string) => (since ? ` WHERE TRUE${addedByRun(since, t, sqlId(holders.id))}` : '');
  return `(${sources.map((t) => `SELECT ${sqlId(holders.userId)} AS user_id, ${sqlId(holders.couponId)} AS coupon_id FROM ${sqlId(t)}${from(t)}`)
    .join(' UNION ALL ')}) AS issuance`;
}

export interface CouponCounts {
  readonly id: number | string;
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
  const c = ctx.schema.coupons;
  if (!c) return [];
  const found = await rows(ctx.mysql,
    `SELECT c.${sqlId(c.id)} AS id, c.${sqlId(c.total)} AS total, c.${sqlId(c.issued)} AS issued, COALESCE(i.n, 0) AS held
     FROM ${sqlId(c.table)} c LEFT JOIN (SELECT coupon_id, COUNT(*) AS n FROM ${issuanceRows(ctx)} GROUP BY coupon_id) i ON i.coupon_id = c.${sqlId(c.id)}
     ORDER BY c.${sqlId(c.id)}`);
  return found.map((r) => ({ id: r['id'] as number | string, total: Number(r['total']), issued: Number(r['issued']), held: Number(r['held']) }));
}
