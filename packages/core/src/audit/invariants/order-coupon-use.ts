import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { couponUseTable, paidOrder, present, sqlValue } from '../mapped-sql.ts';

/**
 * Coupon use agrees both ways: a coupon a paid order spent is marked used by that very order,
 * and a coupon marked used points to a paid order of its holder that names it. One side
 * written without the other is a coupon spent twice, or one lost without being spent.
 */
export const orderCouponUseConsistent: Invariant = {
  name: 'order.coupon-use-consistent',
  meaning: 'a coupon spent by a paid order is marked used by that order, and a coupon marked used points to a paid order of its holder',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { orders: o, holders: h } = ctx.schema;
    const table = couponUseTable(ctx);
    if (!o || !h || !present(ctx, o) || !ctx.tables.has(table)) return notApplicable('no orders or coupon holders declared or present');
    if (o.couponId === null || h.usedOrderId === null) return notApplicable('the schema declares no orders.couponId or holders.usedOrderId');
    const [oid, ouser, ocoupon] = [sqlId(o.id), sqlId(o.userId), sqlId(o.couponId)];
    const [huser, hcoupon, used] = [sqlId(h.userId), sqlId(h.couponId), sqlId(h.usedOrderId)];
    const status = o.status === null ? sqlValue(o.paidStatus) : `o.${sqlId(o.status)}`;
    const unmarked = await rows(ctx.mysql,
      `SELECT o.${oid} AS id, o.${ouser} AS user_id, o.${ocoupon} AS coupon_id, uc.${used} AS used_order_id FROM ${sqlId(o.table)} o
       JOIN ${sqlId(table)} uc ON uc.${huser} = o.${ouser} AND uc.${hcoupon} = o.${ocoupon}
       WHERE ${paidOrder(o, 'o')} AND o.${ocoupon} IS NOT NULL AND (uc.${used} IS NULL OR uc.${used} <> o.${oid})
       ORDER BY o.${oid}`);
    const dangling = await rows(ctx.mysql,
      `SELECT uc.${huser} AS user_id, uc.${hcoupon} AS coupon_id, uc.${used} AS used_order_id, ${status} AS status,
              o.${ouser} AS order_user, o.${ocoupon} AS order_coupon, o.${oid} AS order_id
       FROM ${sqlId(table)} uc LEFT JOIN ${sqlId(o.table)} o ON o.${oid} = uc.${used}
       WHERE uc.${used} IS NOT NULL
         AND (o.${oid} IS NULL OR NOT (${paidOrder(o, 'o')}) OR o.${ouser} <> uc.${huser} OR o.${ocoupon} IS NULL OR o.${ocoupon} <> uc.${hcoupon})
       ORDER BY uc.${used}`);
    return verdict(unmarked.length + dangling.length, [
      ...unmarked.map((r) => `order ${r['id']}: spent coupon ${r['coupon_id']} of user ${r['user_id']}, marked used by ${r['used_order_id'] ?? 'no order'}`),
      ...dangling.map((r) => `coupon ${r['coupon_id']} of user ${r['user_id']}: marked used by order ${r['used_order_id']}, ` +
        (r['order_id'] === null ? 'which does not exist' : `which is ${r['status']}, user ${r['order_user']}, coupon ${r['order_coupon'] ?? 'none'}`)),
    ]);
  },
};
