import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

/**
 * The charge equals the order: recomputed from its lines at the product's price, less the
 * coupon's flat discount capped at the total (migration 016), and the payment is for exactly
 * that. A payment, ledger and balance that agree with each other on the wrong amount pass
 * every other check; this one prices the order again.
 */
export const orderChargeEqualsOrder: Invariant = {
  name: 'order.charge-equals-order',
  meaning: "each paid order's total is its lines × the product price, its discount the coupon's (capped), and its payment total − discount",
  system: 'order',
  async check(ctx) {
    for (const t of ['orders', 'order_items', 'products', 'payments', 'coupons']) {
      if (!ctx.tables.has(t)) return notApplicable(`no ${t} table`);
    }
    const wrong = await rows(ctx.mysql,
      `SELECT o.id, o.total_amount, o.discount_amount, o.paid_amount, o.coupon_id,
              COALESCE(i.lines_total, 0) AS lines_total, COALESCE(i.priced_total, 0) AS priced_total,
              IF(o.coupon_id IS NULL, 0, GREATEST(0, LEAST(COALESCE(i.priced_total, 0), COALESCE(c.discount_amount, 0)))) AS expected_discount,
              p.amount AS payment
       FROM orders o
       LEFT JOIN (SELECT oi.order_id, SUM(oi.quantity * oi.unit_price) AS lines_total, SUM(oi.quantity * pr.price) AS priced_total
                  FROM order_items oi LEFT JOIN products pr ON pr.id = oi.product_id GROUP BY oi.order_id) i ON i.order_id = o.id
       LEFT JOIN coupons c ON c.id = o.coupon_id
       LEFT JOIN payments p ON p.order_id = o.id
       WHERE o.status = 'PAID' AND (
         COALESCE(i.lines_total, 0) <> o.total_amount OR COALESCE(i.priced_total, 0) <> o.total_amount
         OR o.discount_amount <> IF(o.coupon_id IS NULL, 0, GREATEST(0, LEAST(COALESCE(i.priced_total, 0), COALESCE(c.discount_amount, 0))))
         OR o.paid_amount <> o.total_amount - o.discount_amount
         OR (p.amount IS NOT NULL AND p.amount <> COALESCE(i.priced_total, 0)
             - IF(o.coupon_id IS NULL, 0, GREATEST(0, LEAST(COALESCE(i.priced_total, 0), COALESCE(c.discount_amount, 0))))))
       ORDER BY o.id`);
    return verdict(wrong.length, wrong.map((r) => {
      const expectedPaid = Number(r['priced_total']) - Number(r['expected_discount']);
      return `order ${r['id']}: lines at price ${r['priced_total']} − discount ${r['expected_discount']} = ${expectedPaid}; ` +
        `order says ${r['total_amount']} − ${r['discount_amount']} = ${r['paid_amount']}, payment ${r['payment'] ?? 'none'}`;
    }));
  },
};
