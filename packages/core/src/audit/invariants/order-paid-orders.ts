import { TABLES } from '@perf-lab/contract';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

export const orderPaidComplete: Invariant = {
  name: 'order.paid-order-complete',
  meaning: 'each paid order has exactly one payment and exactly one outbox event',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.orders) || !ctx.tables.has(TABLES.payments) || !ctx.tables.has(TABLES.outboxEvents)) {
      return notApplicable('no orders/payments/outbox_events tables');
    }
    const broken = await rows(ctx.mysql,
      `SELECT o.id, COALESCE(p.n, 0) AS payments, COALESCE(e.n, 0) AS events FROM orders o
       LEFT JOIN (SELECT order_id, COUNT(*) AS n FROM payments GROUP BY order_id) p ON p.order_id = o.id
       LEFT JOIN (SELECT aggregate_id, COUNT(*) AS n FROM outbox_events WHERE LOWER(aggregate_type) = 'order' GROUP BY aggregate_id) e
         ON e.aggregate_id = CAST(o.id AS CHAR)
       WHERE o.status = 'PAID' AND (COALESCE(p.n, 0) <> 1 OR COALESCE(e.n, 0) <> 1) ORDER BY o.id`);
    return verdict(broken.length, broken.map((r) => `order ${r['id']}: ${r['payments']} payment(s), ${r['events']} event(s)`));
  },
};

export const orderCouponUsedOnce: Invariant = {
  name: 'order.coupon-used-once',
  meaning: 'each held coupon pays for at most one order, and only its holder uses it',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.orders) || !ctx.tables.has(TABLES.userCoupons)) return notApplicable('no orders/user_coupons tables');
    const reused = await rows(ctx.mysql,
      `SELECT user_id, coupon_id, COUNT(*) AS n FROM orders WHERE coupon_id IS NOT NULL AND status = 'PAID'
       GROUP BY user_id, coupon_id HAVING n > 1`);
    const notHeld = await rows(ctx.mysql,
      `SELECT o.id, o.user_id, o.coupon_id FROM orders o
       LEFT JOIN user_coupons uc ON uc.user_id = o.user_id AND uc.coupon_id = o.coupon_id
       WHERE o.coupon_id IS NOT NULL AND o.status = 'PAID' AND uc.id IS NULL`);
    return verdict(reused.reduce((s, r) => s + Number(r['n']) - 1, 0) + notHeld.length, [
      ...reused.map((r) => `user ${r['user_id']} coupon ${r['coupon_id']} used ×${r['n']}`),
      ...notHeld.map((r) => `order ${r['id']}: user ${r['user_id']} does not hold coupon ${r['coupon_id']}`),
    ]);
  },
};
