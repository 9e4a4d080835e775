import { changedOneRow, rowsOf, type Statement } from '../../db/statement.ts';

export interface HeldCoupon {
  readonly userCouponId: number;
  readonly usedOrderId: number | null;
  readonly discountAmount: number;
}

/**
 * The user's copy of a coupon, row-locked so two orders cannot both see it unused. null: the
 * user does not hold it (never issued, or still pending in part 1's Kafka pipeline).
 */
export function findHeldCouponForUpdate(userId: number, couponId: number): Statement<HeldCoupon | null> {
  return {
    sql: `SELECT uc.id, uc.used_order_id, c.discount_amount
            FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
           WHERE uc.user_id = ? AND uc.coupon_id = ?
             FOR UPDATE`,
    values: [userId, couponId],
    read: (result) => {
      const r = rowsOf(result)[0];
      if (!r) return null;
      return {
        userCouponId: Number(r.id),
        usedOrderId: r.used_order_id === null ? null : Number(r.used_order_id),
        discountAmount: Number(r.discount_amount),
      };
    },
  };
}

/** Conditional like the stock UPDATE: only an unused coupon can be marked, so it is used once. */
export function markCouponUsed(userCouponId: number, orderId: number): Statement<boolean> {
  return {
    sql: 'UPDATE user_coupons SET used_order_id = ?, used_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND used_order_id IS NULL',
    values: [orderId, userCouponId],
    read: changedOneRow,
  };
}
