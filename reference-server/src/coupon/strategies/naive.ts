import { randomUUID } from 'node:crypto';
import { COUPON_STRATEGIES, COUPON_STRATEGY } from '@perf-lab/contract';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { AppError } from '../../errors.ts';
import { findCoupon } from '../coupon-repository.ts';
import type { CouponIssuer } from '../coupon-issuer.ts';

/**
 * DELIBERATELY BROKEN — do not copy. Read the stock, check for a previous issue, then write,
 * as separate autocommit statements with no lock, no conditional UPDATE and no unique key
 * (rows go to `naive_user_coupons`). Concurrent requests all pass the checks before any of
 * them writes, so it over-issues and issues twice to the same user. It exists so that
 * perf-lab's audit can be shown to catch exactly those failures.
 */
/** `naive_user_coupons`: where the audit looks for this strategy's holdings, so named once. */
const HOLDINGS = COUPON_STRATEGIES[COUPON_STRATEGY.naive].holdingsTable;

export function naiveIssuer(pool: Pool): CouponIssuer {
  return {
    async issue(couponId, userId) {
      const coupon = await findCoupon(pool, couponId);
      if (!coupon) throw new AppError('COUPON_NOT_FOUND');
      if (coupon.issued >= coupon.total) throw new AppError('COUPON_SOLD_OUT'); // check…
      const [held] = await pool.query<RowDataPacket[]>(
        `SELECT 1 FROM ${HOLDINGS} WHERE coupon_id = ? AND user_id = ? LIMIT 1`,
        [couponId, userId],
      );
      if (held.length > 0) throw new AppError('COUPON_ALREADY_ISSUED');
      // …then act, trusting checks that other requests have invalidated meanwhile.
      await pool.query('UPDATE coupons SET issued = issued + 1 WHERE id = ?', [couponId]);
      await pool.query(`INSERT INTO ${HOLDINGS} (user_id, coupon_id) VALUES (?, ?)`, [userId, couponId]);
      return { statusCode: 201, body: { status: 'ISSUED', requestId: randomUUID() } };
    },

    async issueStatus(couponId, userId) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT issued_at FROM ${HOLDINGS} WHERE coupon_id = ? AND user_id = ? ORDER BY id LIMIT 1`,
        [couponId, userId],
      );
      return rows[0] ? { status: 'ISSUED', issuedAt: rows[0].issued_at as Date } : null;
    },

    async getCoupon(couponId) {
      const c = await findCoupon(pool, couponId);
      return c ? { ...c, remaining: c.total - c.issued } : null;
    },

    async listUserCoupons(userId) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT coupon_id, issued_at FROM ${HOLDINGS} WHERE user_id = ? ORDER BY coupon_id, id`,
        [userId],
      );
      // The naive table is never spent by orders (they use user_coupons).
      return rows.map((r) => ({ couponId: Number(r.coupon_id), issuedAt: r.issued_at as Date, usedOrderId: null }));
    },
  };
}
