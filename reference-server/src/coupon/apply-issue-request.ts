import type { Pool } from 'mysql2/promise';
import { withTransaction } from '../db/transaction.ts';
import { findHeldCoupon, insertUserCoupon, recordRejection, takeStock } from './coupon-repository.ts';
import type { RejectionReason } from './coupon-repository.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';

export type ApplyOutcome =
  | { readonly kind: 'issued' }
  /** This very request (same requestId) is already in user_coupons: a redelivery, do nothing. */
  | { readonly kind: 'already-applied' }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason; readonly firstTime: boolean };

/**
 * Stage 3: the database's verdict on one accepted request. The happy path is one
 * transaction, UPDATE-if-stock then INSERT, four round trips. Only when that fails does it
 * look at why, outside the transaction:
 *  - a row with the same request id → already applied (redelivery; must NOT compensate);
 *  - a row with another request id  → DUPLICATE (seed: "DB 중복");
 *  - no row                         → SOLD_OUT  (seed: "DB 품절").
 * Rejections are recorded once per request id; Redis compensation is the caller's job.
 */
export async function applyIssueRequest(pool: Pool, msg: IssueRequestMessage): Promise<ApplyOutcome> {
  const result = await withTransaction(pool, async (tx, rollback) => {
    if (!(await takeStock(tx, msg.couponId))) rollback('not-applied');
    const inserted = await insertUserCoupon(tx, { userId: msg.userId, couponId: msg.couponId, requestId: msg.requestId });
    // The UNIQUE key fired: undo the stock we just took.
    if (inserted === 'duplicate') rollback('not-applied');
    return 'issued' as const;
  });
  if (result === 'issued') return { kind: 'issued' };

  const held = await findHeldCoupon(pool, msg.userId, msg.couponId);
  if (held?.requestId === msg.requestId) return { kind: 'already-applied' };
  const reason: RejectionReason = held ? 'DUPLICATE' : 'SOLD_OUT';
  const firstTime = await recordRejection(pool, { ...msg, reason });
  return { kind: 'rejected', reason, firstTime };
}
