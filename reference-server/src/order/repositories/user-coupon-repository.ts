import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Tx } from '../../db/transaction.ts';

export interface HeldCoupon {
  readonly userCouponId: number;
  readonly usedOrderId: number | null;
  readonly discountAmount: number;
}

/**
 * The user's copy of a coupon, row-locked so two orders cannot both see it unused. null: the
 * user does not hold it (never issued, or still pending in part 1's Kafka pipeline).
 */
export async function findHeldCouponForUpdate(tx: Tx, userId: number, couponId: number): Promise<HeldCoupon | null> {
  const [rows] = await tx.query<RowDataPacket[]>(
    `SELECT uc.id, uc.used_order_id, c.discount_amount
       FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
      WHERE uc.user_id = ? AND uc.coupon_id = ?
      FOR UPDATE`,
    [userId, couponId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    userCouponId: Number(r.id),
    usedOrderId: r.used_order_id === null ? null : Number(r.used_order_id),
    discountAmount: Number(r.discount_amount),
  };
}

/** Conditional like the stock UPDATE: only an unused coupon can be marked, so it is used once. */
export async function markCouponUsed(tx: Tx, userCouponId: number, orderId: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>(
    'UPDATE user_coupons SET used_order_id = ?, used_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND used_order_id IS NULL',
    [orderId, userCouponId],
  );
  return res.affectedRows === 1;
}
