import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { paidOrder, present } from '../mapped-sql.ts';

/**
 * The charge equals the order: recomputed from its lines at the product's price, less the
 * coupon's flat discount capped at the total (migration 016), and the payment is for exactly
 * that. A payment, ledger and balance that agree with each other on the wrong amount pass
 * every other check; this one prices the order again. On a declared schema it uses what the
 * system keeps: the product price or else the line's unit price, the coupon discount where both
 * the order's coupon and the coupon's discount are declared, the payment where payments are.
 */
export const orderChargeEqualsOrder: Invariant = {
  name: 'order.charge-equals-order',
  meaning: "each paid order's total is its lines × the product price, its discount the coupon's (capped), and its payment total − discount",
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { orders: o, orderItems: i, products: pr, payments: p, coupons: c } = ctx.schema;
    if (!o || !i || !present(ctx, o, i)) return notApplicable('no orders or order items declared or present');
    const price = pr !== null && pr.price !== null && ctx.tables.has(pr.table) ? pr : null;
    if (!price && i.unitPrice === null) return notApplicable('neither products.price nor orderItems.unitPrice is declared: an order cannot be priced');
    const q = (alias: string, column: string) => `${alias}.${sqlId(column)}`;
    const lines = i.unitPrice === null ? null : `SUM(${q('oi', i.quantity)} * ${q('oi', i.unitPrice)})`;
    const priced = price ? `SUM(${q('oi', i.quantity)} * ${q('pr', price.price!)})` : lines!;
    const productJoin = price ? `LEFT JOIN ${sqlId(price.table)} pr ON ${q('pr', price.id)} = ${q('oi', i.productId)}` : '';
    const total = 'COALESCE(i.priced_total, 0)';
    const coupon = o.couponId === null ? null : q('o', o.couponId);
    const couponDiscount = coupon !== null && c !== null && c.discount !== null && ctx.tables.has(c.table) ? c : null;
    const discount = o.discount === null ? '0' : q('o', o.discount);
    // What the discount should be: the coupon's, capped; none without a coupon; the order's own where the coupon's is not known.
    const expectedDiscount = coupon === null ? '0'
      : couponDiscount ? `IF(${coupon} IS NULL, 0, GREATEST(0, LEAST(${total}, COALESCE(${q('c', couponDiscount.discount!)}, 0))))` : discount;
    const paid = o.paid === null ? `(${q('o', o.total)} - ${discount})` : q('o', o.paid);
    const paymentJoin = p !== null && ctx.tables.has(p.table) ? `LEFT JOIN ${sqlId(p.table)} p ON ${q('p', p.orderId)} = ${q('o', o.id)}` : '';
    const payment = paymentJoin ? q('p', p!.amount) : 'NULL';
    const wrong = await rows(ctx.mysql,
      `SELECT ${q('o', o.id)} AS id, ${q('o', o.total)} AS total_amount, ${discount} AS discount_amount, ${paid} AS paid_amount,
              ${lines === null ? total : 'COALESCE(i.lines_total, 0)'} AS lines_total, ${total} AS priced_total,
              ${expectedDiscount} AS expected_discount, ${payment} AS payment
       FROM ${sqlId(o.table)} o
       LEFT JOIN (SELECT ${q('oi', i.orderId)} AS order_id, ${lines ?? 'NULL'} AS lines_total, ${priced} AS priced_total
                  FROM ${sqlId(i.table)} oi ${productJoin} GROUP BY ${q('oi', i.orderId)}) i ON i.order_id = ${q('o', o.id)}
       ${couponDiscount ? `LEFT JOIN ${sqlId(couponDiscount.table)} c ON ${q('c', couponDiscount.id)} = ${coupon}` : ''}
       ${paymentJoin}
       WHERE ${paidOrder(o, 'o')} AND (
         ${lines === null ? 'FALSE' : 'COALESCE(i.lines_total, 0) <> o.' + sqlId(o.total)} OR ${total} <> ${q('o', o.total)}
         OR ${discount} <> ${expectedDiscount}
         OR ${paid} <> ${q('o', o.total)} - ${discount}
         OR (${payment} IS NOT NULL AND ${payment} <> ${total} - ${expectedDiscount}))
       ORDER BY ${q('o', o.id)}`);
    return verdict(wrong.length, wrong.map((r) => {
      const expectedPaid = Number(r['priced_total']) - Number(r['expected_discount']);
      return `order ${r['id']}: lines at price ${r['priced_total']} − discount ${r['expected_discount']} = ${expectedPaid}; ` +
        `order says ${r['total_amount']} − ${r['discount_amount']} = ${r['paid_amount']}, payment ${r['payment'] ?? 'none'}`;
    }));
  },
};
