import { sqlId } from '../check-declarations.ts';
import { seededId } from '../../seed/seed-manifest.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { paidOrder, present } from '../mapped-sql.ts';
import { recordId } from '../operation-line.ts';

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
  mapped: true,
  async check(ctx) {
    const { products: p, orderItems: i, orders: o } = ctx.schema;
    if (!p || !i || !o || !present(ctx, p, i, o)) return notApplicable('no products, order items or orders declared or present');
    const sold = await rows(ctx.mysql,
      `SELECT p.${sqlId(p.id)} AS id, p.${sqlId(p.stock)} AS quantity, COALESCE(s.sold, 0) AS sold
       FROM ${sqlId(p.table)} p LEFT JOIN (
         SELECT oi.${sqlId(i.productId)} AS product_id, SUM(oi.${sqlId(i.quantity)}) AS sold
         FROM ${sqlId(i.table)} oi JOIN ${sqlId(o.table)} o ON o.${sqlId(o.id)} = oi.${sqlId(i.orderId)}
         WHERE ${paidOrder(o, 'o')} GROUP BY oi.${sqlId(i.productId)}) s ON s.product_id = p.${sqlId(p.id)}`);
    const initial = new Map(ctx.manifest.products.map((m) => [seededId(ctx.ids.product, m.id), m.initialQuantity]));
    const examples: string[] = [];
    let units = 0;
    for (const r of sold) {
      const start = initial.get(recordId(r['id']));
      if (start === undefined) continue;
      const expected = start - Number(r['sold']);
      if (expected !== Number(r['quantity'])) {
        units += Math.abs(expected - Number(r['quantity']));
        examples.push(`product ${r['id']}: initial ${start} − sold ${r['sold']} = ${expected}, current ${r['quantity']}`);
      }
    }
    return verdict(units, examples);
  },
};
