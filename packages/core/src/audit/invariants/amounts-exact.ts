import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

/**
 * Money columns by table. Amounts are BIGINT in the smallest unit, but every client in
 * JavaScript (the server, k6 scripts, this audit) holds them as doubles: past 2^53 − 1 an
 * amount silently rounds, and sums and comparisons made with it are wrong.
 */
const MONEY: Readonly<Record<string, readonly string[]>> = {
  users: ['balance'],
  products: ['price'],
  coupons: ['discount_amount'],
  orders: ['total_amount', 'discount_amount', 'paid_amount'],
  order_items: ['unit_price'],
  payments: ['amount'],
  balance_history: ['amount', 'balance_after'],
};

const LIMIT = '9007199254740991';

export const amountsExact: Invariant = {
  name: 'order.amounts-exact',
  meaning: 'no amount or balance lies outside the exact-integer range (±2^53 − 1) a JavaScript number holds',
  system: 'order',
  async check(ctx) {
    const parts = Object.entries(MONEY).filter(([table]) => ctx.tables.has(table))
      .flatMap(([table, columns]) => columns.map((c) =>
        // CAST to CHAR: the value must reach us digit for digit, not as the double it cannot be;
        // no ABS(), which itself overflows on the smallest BIGINT.
        `(SELECT '${table}' AS tbl, '${c}' AS col, id, CAST(${c} AS CHAR) AS value FROM ${table} WHERE ${c} > ${LIMIT} OR ${c} < -${LIMIT})`));
    if (parts.length === 0) return notApplicable('no money tables');
    const found = await rows(ctx.mysql, parts.join(' UNION ALL '));
    return verdict(found.length, found.map((r) => `${r['tbl']} ${r['id']}: ${r['col']} ${r['value']}`));
  },
};
