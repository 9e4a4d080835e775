import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

/**
 * Coupon use agrees both ways: a coupon a paid order spent is marked used by that very order,
 * and a coupon marked used points to a paid order of its holder that names it. One side
 * written without the other is a coupon spent twice, or one lost without being spent.
 */
export const orderCouponUseConsistent: Invariant = {
  name: 'order.coupon-use-consistent',
  meaning: 'a coupon spent by a paid order is marked used by that order, and a coupon marked used points to a paid order of its holder',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has('orders') || !ctx.tables.has('user_coupons')) return notApplicable('no orders/user_coupons tables');
    const unmarked = await rows(ctx.mysql,
      `SELECT o.id, o.user_id, o.coupon_id, uc.used_order_id FROM orders o
       JOIN user_coupons uc ON uc.user_id = o.user_id AND uc.coupon_id = o.coupon_id
       WHERE o.status = 'PAID' AND o.coupon_id IS NOT NULL AND (uc.used_order_id IS NULL OR uc.used_order_id <> o.id)
       ORDER BY o.id`);
    const dangling = await rows(ctx.mysql,
      `SELECT uc.user_id, uc.coupon_id, uc.used_order_id, o.status, o.user_id AS order_user, o.coupon_id AS order_coupon
       FROM user_coupons uc LEFT JOIN orders o ON o.id = uc.used_order_id
       WHERE uc.used_order_id IS NOT NULL
         AND (o.id IS NULL OR o.status <> 'PAID' OR o.user_id <> uc.user_id OR o.coupon_id IS NULL OR o.coupon_id <> uc.coupon_id)
       ORDER BY uc.used_order_id`);
    return verdict(unmarked.length + dangling.length, [
      ...unmarked.map((r) => `order ${r['id']}: spent coupon ${r['coupon_id']} of user ${r['user_id']}, marked used by ${r['used_order_id'] ?? 'no order'}`),
      ...dangling.map((r) => `coupon ${r['coupon_id']} of user ${r['user_id']}: marked used by order ${r['used_order_id']}, ` +
        (r['status'] === null ? 'which does not exist' : `which is ${r['status']}, user ${r['order_user']}, coupon ${r['order_coupon'] ?? 'none'}`)),
    ]);
  },
};
