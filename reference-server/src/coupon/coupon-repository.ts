import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { isDuplicateKey } from '../db/transaction.ts';
import type { Tx, Queryable } from '../db/transaction.ts';

export interface Coupon {
  readonly id: number;
  readonly name: string;
  readonly total: number;
  readonly issued: number;
}

export interface HeldCoupon {
  readonly couponId: number;
  readonly requestId: string | null;
  readonly issuedAt: Date;
  /** The order that spent it (part 2's column); null while unused. */
  readonly usedOrderId: number | null;
}

export const REJECTION_REASONS = ['SOLD_OUT', 'DUPLICATE'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export async function createCoupon(db: Queryable, coupon: { name: string; total: number; issued?: number }): Promise<number> {
  const [res] = await db.query<ResultSetHeader>('INSERT INTO coupons (name, total, issued) VALUES (?, ?, ?)', [
    coupon.name,
    coupon.total,
    coupon.issued ?? 0,
  ]);
  return res.insertId;
}

export async function findCoupon(db: Queryable, couponId: number): Promise<Coupon | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT id, name, total, issued FROM coupons WHERE id = ?', [couponId]);
  const r = rows[0];
  return r ? { id: Number(r.id), name: String(r.name), total: Number(r.total), issued: Number(r.issued) } : null;
}

/**
 * The final guard against over-issue (the seed's `available > 0`). Locks the coupon row until
 * the transaction ends, which also serialises the INSERT that follows per coupon.
 */
export async function takeStock(tx: Tx, couponId: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>(
    'UPDATE coupons SET issued = issued + 1 WHERE id = ? AND issued < total',
    [couponId],
  );
  return res.affectedRows === 1;
}

/** 'duplicate' when UNIQUE (user_id, coupon_id) already holds a row. */
export async function insertUserCoupon(
  tx: Tx,
  row: { userId: number; couponId: number; requestId: string },
): Promise<'inserted' | 'duplicate'> {
  try {
    await tx.query('INSERT INTO user_coupons (user_id, coupon_id, request_id) VALUES (?, ?, ?)', [
      row.userId,
      row.couponId,
      row.requestId,
    ]);
    return 'inserted';
  } catch (err) {
    if (isDuplicateKey(err)) return 'duplicate';
    throw err;
  }
}

export async function findHeldCoupon(db: Queryable, userId: number, couponId: number): Promise<HeldCoupon | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT coupon_id, request_id, issued_at, used_order_id FROM user_coupons WHERE user_id = ? AND coupon_id = ?',
    [userId, couponId],
  );
  const r = rows[0];
  return r ? toHeld(r) : null;
}

export async function listHeldCoupons(db: Queryable, userId: number): Promise<HeldCoupon[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT coupon_id, request_id, issued_at, used_order_id FROM user_coupons WHERE user_id = ? ORDER BY coupon_id',
    [userId],
  );
  return rows.map(toHeld);
}

export async function findLatestRejection(db: Queryable, userId: number, couponId: number): Promise<RejectionReason | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT reason FROM coupon_issue_rejections WHERE coupon_id = ? AND user_id = ?
     ORDER BY rejected_at DESC LIMIT 1`,
    [couponId, userId],
  );
  return rows[0] ? (String(rows[0].reason) as RejectionReason) : null;
}

function toHeld(r: RowDataPacket): HeldCoupon {
  return {
    couponId: Number(r.coupon_id),
    usedOrderId: r.used_order_id === null || r.used_order_id === undefined ? null : Number(r.used_order_id),
    requestId: r.request_id === null ? null : String(r.request_id),
    issuedAt: r.issued_at as Date,
  };
}
