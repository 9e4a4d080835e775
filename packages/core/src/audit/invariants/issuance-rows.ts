/**
 * The rows that say "user U holds coupon C". The reference server's `naive` strategy writes a
 * table of its own without the unique key (that is what makes it broken); both count.
 */
export function issuanceRows(tables: ReadonlySet<string>): string {
  const sources = ['user_coupons', 'naive_user_coupons'].filter((t) => tables.has(t));
  return `(${sources.map((t) => `SELECT user_id, coupon_id FROM ${t}`).join(' UNION ALL ')}) AS issuance`;
}
