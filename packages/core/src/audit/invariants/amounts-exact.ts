import type { SchemaMap } from '../../config/schema-map.ts';
import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { sqlValue } from '../mapped-sql.ts';

/**
 * Money columns by table, as the schema map names them. Amounts are BIGINT in the smallest unit,
 * but every client in JavaScript (the server, k6 scripts, this audit) holds them as doubles:
 * past 2^53 − 1 an amount silently rounds, and sums and comparisons made with it are wrong.
 */
function moneyColumns(schema: SchemaMap): { table: string; id: string; columns: string[] }[] {
  const { users: u, products: p, coupons: c, orders: o, orderItems: i, payments: pay, ledger: l } = schema;
  const of = (m: { table: string; id: string } | null, columns: readonly (string | null | undefined)[]) =>
    (m ? [{ table: m.table, id: m.id, columns: columns.filter((x): x is string => typeof x === 'string') }] : []);
  return [
    ...of(u, [u?.balance]), ...of(p, [p?.price]), ...of(c, [c?.discount]), ...of(o, [o?.total, o?.discount, o?.paid]),
    ...of(i, [i?.unitPrice]), ...of(pay, [pay?.amount]), ...of(l, [l?.amount, l?.balanceAfter, l?.balanceBefore]),
  ].filter((m) => m.columns.length > 0);
}

const LIMIT = '9007199254740991';

export const amountsExact: Invariant = {
  name: 'order.amounts-exact',
  meaning: 'no amount or balance lies outside the exact-integer range (±2^53 − 1) a JavaScript number holds',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const parts = moneyColumns(ctx.schema).filter(({ table }) => ctx.tables.has(table))
      .flatMap(({ table, id, columns }) => columns.map((c) =>
        // CAST to CHAR: the value must reach us digit for digit, not as the double it cannot be;
        // no ABS(), which itself overflows on the smallest BIGINT.
        `(SELECT ${sqlValue(table)} AS tbl, ${sqlValue(c)} AS col, ${sqlId(id)} AS id, CAST(${sqlId(c)} AS CHAR) AS value FROM ${sqlId(table)}
          WHERE ${sqlId(c)} > ${LIMIT} OR ${sqlId(c)} < -${LIMIT})`));
    if (parts.length === 0) return notApplicable('no money tables');
    const found = await rows(ctx.mysql, parts.join(' UNION ALL '));
    return verdict(found.length, found.map((r) => `${r['tbl']} ${r['id']}: ${r['col']} ${r['value']}`));
  },
};
