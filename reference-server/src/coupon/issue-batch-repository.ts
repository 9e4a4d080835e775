import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Tx } from '../db/transaction.ts';
import type { RejectionReason } from './coupon-repository.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';
import { heldKey } from './plan-issue-batch.ts';

/**
 * The consumer's multi-row statements: a batch of requests costs a fixed handful of round
 * trips instead of four per message. All take the transaction: they are only correct
 * between `lockCoupons` and the commit.
 */

/**
 * Locks the batch's coupon rows and returns total − issued for each. Every writer of
 * user_coupons takes its coupon's row lock first (this, or the single-row conditional UPDATE),
 * so while these locks are held nobody else inserts rows for these coupons. Ascending id order,
 * so two batches that share coupons queue instead of deadlocking.
 */
export async function lockCoupons(tx: Tx, couponIds: readonly number[]): Promise<Map<number, number>> {
  const [rows] = await tx.query<RowDataPacket[]>(
    'SELECT id, total, issued FROM coupons WHERE id IN (?) ORDER BY id FOR UPDATE',
    [couponIds],
  );
  return new Map(rows.map((r) => [Number(r.id), Number(r.total) - Number(r.issued)]));
}

/**
 * heldKey → request id for the (user, coupon) pairs that already hold a row. A plain
 * (consistent) read on purpose: a locking read would take gap locks on the unique index that
 * deadlock against other partitions' inserts. It is the transaction's first consistent read,
 * so its snapshot starts after the coupon locks were granted and sees every committed row.
 */
export async function findHeld(tx: Tx, messages: readonly IssueRequestMessage[]): Promise<Map<string, string | null>> {
  const pairs = messages.map((m) => [m.userId, m.couponId]);
  const [rows] = await tx.query<RowDataPacket[]>(
    'SELECT user_id, coupon_id, request_id FROM user_coupons WHERE (user_id, coupon_id) IN (?)',
    [pairs],
  );
  return new Map(
    rows.map((r) => [heldKey(Number(r.user_id), Number(r.coupon_id)), r.request_id === null ? null : String(r.request_id)]),
  );
}

/** request id → reason for the batch's requests that were rejected before (redeliveries). */
export async function findRejected(tx: Tx, requestIds: readonly string[]): Promise<Map<string, RejectionReason>> {
  const [rows] = await tx.query<RowDataPacket[]>(
    'SELECT request_id, reason FROM coupon_issue_rejections WHERE request_id IN (?)',
    [requestIds],
  );
  return new Map(rows.map((r) => [String(r.request_id), String(r.reason) as RejectionReason]));
}

/**
 * A plain INSERT, not IGNORE: the plan already excluded every pair that holds a row, so a
 * duplicate key here means the snapshot was wrong, and the whole batch must roll back.
 */
export async function insertUserCoupons(tx: Tx, rows: readonly IssueRequestMessage[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query('INSERT INTO user_coupons (user_id, coupon_id, request_id) VALUES ?', [
    rows.map((r) => [r.userId, r.couponId, r.requestId]),
  ]);
}

/**
 * `issued` grows by exactly the rows inserted, and the condition stays the final guard
 * against over-issue (the seed's "available > 0", for n at once). False: the guard refused.
 */
export async function takeStockBatch(tx: Tx, couponId: number, n: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>(
    'UPDATE coupons SET issued = issued + ? WHERE id = ? AND issued + ? <= total',
    [n, couponId, n],
  );
  return res.affectedRows === 1;
}

export async function recordRejections(
  tx: Tx,
  rows: readonly (IssueRequestMessage & { readonly reason: RejectionReason })[],
): Promise<void> {
  if (rows.length === 0) return;
  // IGNORE: the primary key on request_id keeps a verdict recorded once, whoever got there first.
  await tx.query('INSERT IGNORE INTO coupon_issue_rejections (request_id, user_id, coupon_id, reason) VALUES ?', [
    rows.map((r) => [r.requestId, r.userId, r.couponId, r.reason]),
  ]);
}
