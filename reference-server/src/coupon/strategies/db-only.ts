import { randomUUID } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../../errors.ts';
import { withTransaction } from '../../db/transaction.ts';
import { findCoupon, findHeldCoupon, insertUserCoupon, listHeldCoupons, takeStock } from '../coupon-repository.ts';
import type { CouponIssuer } from '../coupon-issuer.ts';

/**
 * The classic baseline: the conditional UPDATE and the INSERT in one transaction inside the
 * request, no Redis, no Kafka. Correct (the row lock and the UNIQUE key see to it); its
 * throughput is bounded by the coupon row lock and the pool size.
 */
export function dbOnlyIssuer(pool: Pool): CouponIssuer {
  return {
    async issue(couponId, userId) {
      const requestId = randomUUID();
      const outcome = await withTransaction(pool, async (tx, rollback) => {
        if (!(await takeStock(tx, couponId))) rollback('no-stock');
        if ((await insertUserCoupon(tx, { userId, couponId, requestId })) === 'duplicate') rollback('duplicate');
        return 'issued' as const;
      });
      if (outcome === 'issued') return { statusCode: 201, body: { status: 'ISSUED', requestId } };
      if (outcome === 'duplicate') throw new AppError('COUPON_ALREADY_ISSUED');
      // No stock taken: tell the three reasons apart only now, off the hot path.
      if (!(await findCoupon(pool, couponId))) throw new AppError('COUPON_NOT_FOUND');
      if (await findHeldCoupon(pool, userId, couponId)) throw new AppError('COUPON_ALREADY_ISSUED');
      throw new AppError('COUPON_SOLD_OUT');
    },

    async issueStatus(couponId, userId) {
      const held = await findHeldCoupon(pool, userId, couponId);
      return held ? { status: 'ISSUED', issuedAt: held.issuedAt } : null;
    },

    async getCoupon(couponId) {
      const c = await findCoupon(pool, couponId);
      return c ? { ...c, remaining: c.total - c.issued } : null;
    },

    async listUserCoupons(userId) {
      return (await listHeldCoupons(pool, userId)).map(({ couponId, issuedAt, usedOrderId }) => ({ couponId, issuedAt, usedOrderId }));
    },
  };
}
