import type { LedgerType } from '@perf-lab/contract';
import type { RowDataPacket } from 'mysql2/promise';
import type { Queryable, Tx } from '../../db/transaction.ts';
import { ignoreResult, type Statement } from '../../db/statement.ts';

export interface LedgerRow {
  readonly transactionId: string;
  readonly userId: number;
  /** Signed: a CHARGE adds, a PAYMENT subtracts. */
  readonly amount: number;
  readonly type: LedgerType;
  readonly balanceAfter: number;
  readonly orderId: number | null;
}

/** A second row with the same transaction_id fails with ER_DUP_ENTRY (1062) — by design. */
export async function insertLedgerRow(tx: Tx, row: LedgerRow): Promise<void> {
  await tx.query(
    `INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [row.transactionId, row.userId, row.amount, row.type, row.balanceAfter, row.orderId],
  );
}

/**
 * The same row with `balance_after` read from the user's row by the INSERT itself: right after
 * the debit, under the row lock the debit holds, that is exactly the balance it left — without
 * a SELECT round trip to fetch it first.
 */
export function insertLedgerRowAtBalance(row: Omit<LedgerRow, 'balanceAfter'>): Statement<void> {
  return {
    sql: `INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id)
          SELECT ?, id, ?, ?, balance, ? FROM users WHERE id = ?`,
    values: [row.transactionId, row.amount, row.type, row.orderId, row.userId],
    read: ignoreResult,
  };
}

export async function findLedgerRow(db: Queryable, transactionId: string): Promise<LedgerRow | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT transaction_id, user_id, amount, type, balance_after, order_id FROM balance_history WHERE transaction_id = ?',
    [transactionId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    transactionId: String(r.transaction_id),
    userId: Number(r.user_id),
    amount: Number(r.amount),
    type: r.type as LedgerType,
    balanceAfter: Number(r.balance_after),
    orderId: r.order_id === null ? null : Number(r.order_id),
  };
}
