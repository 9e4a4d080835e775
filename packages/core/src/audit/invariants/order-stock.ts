import { TABLES } from '@perf-lab/contract';
import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

export const orderNoNegativeStock: Invariant = {
  name: 'order.no-negative-stock',
  meaning: 'no product has negative stock',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const p = ctx.schema.products;
    if (!p || !ctx.tables.has(p.table)) return notApplicable('no products table declared or present');
    const negative = await rows(ctx.mysql,
      `SELECT ${sqlId(p.id)} AS id, ${sqlId(p.stock)} AS stock FROM ${sqlId(p.table)} WHERE ${sqlId(p.stock)} < 0 ORDER BY ${sqlId(p.id)}`);
    return verdict(negative.length, negative.map((r) => `product ${r['id']}: ${r['stock']}`));
  },
};

/** Every unit is either still on the shelf or in a paid order: initial − Σ sold = current. */
export const orderStockConserved: Invariant = {
  name: 'order.stock-conservation',
  meaning: "each product's initial stock − units in paid orders = its current stock",
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.products) || !ctx.tables.has(TABLES.orderItems)) return notApplicable('no products/order_items tables');
    const sold = await rows(ctx.mysql,
      `SELECT p.id, p.quantity, COALESCE(s.sold, 0) AS sold
       FROM products p LEFT JOIN (
         SELECT oi.product_id, SUM(oi.quantity) AS sold FROM order_items oi JOIN orders o ON o.id = oi.order_id
         WHERE o.status = 'PAID' GROUP BY oi.product_id) s ON s.product_id = p.id`);
    const examples: string[] = [];
    let units = 0;
    for (const r of sold) {
      const initial = ctx.manifest.products.find((p) => p.id === Number(r['id']))?.initialQuantity;
      if (initial === undefined) continue;
      const expected = initial - Number(r['sold']);
      if (expected !== Number(r['quantity'])) {
        units += Math.abs(expected - Number(r['quantity']));
        examples.push(`product ${r['id']}: initial ${initial} − sold ${r['sold']} = ${expected}, current ${r['quantity']}`);
      }
    }
    return verdict(units, examples);
  },
};
