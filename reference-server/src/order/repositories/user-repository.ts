import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { exactInteger, MAX_EXACT } from '../../db/exact-integer.ts';
import type { Queryable, Tx } from '../../db/transaction.ts';
import { changedOneRow, type Statement } from '../../db/statement.ts';
import { AppError } from '../../errors.ts';

/**
 * The order's one write to the user row: records `fence` (null under scope `none`) as the
 * newest token to write this user's data and takes `amount`, only if the token is newer than
 * any already recorded — else its lock holder lost its lease and someone else has since
 * written — and the balance covers it. One statement for the fence claim and the debit (a
 * round trip less per order); it also takes the user's row lock, which serialises that user's
 * orders even without a Redis lock. false: tell why with `whyNotDebited`.
 */
export function claimFenceAndDebit(userId: number, fence: number | null, amount: number): Statement<boolean> {
  return fence === null
    ? { sql: 'UPDATE users SET balance = balance - ? WHERE id = ? AND balance >= ?', values: [amount, userId, amount], read: changedOneRow }
    : {
        sql: 'UPDATE users SET fence = ?, balance = balance - ? WHERE id = ? AND fence < ? AND balance >= ?',
        values: [fence, amount, userId, fence, amount],
        read: changedOneRow,
      };
}

export type DebitRefusal =
  | { readonly reason: 'no-user' }
  | { readonly reason: 'stale-fence'; readonly current: number }
  | { readonly reason: 'insufficient-balance' };

/**
 * Why `claimFenceAndDebit` changed nothing. A locking read: the transaction's snapshot may
 * predate the write that made our fence stale, and the UPDATE judged the latest row.
 */
export async function whyNotDebited(tx: Tx, userId: number, fence: number | null): Promise<DebitRefusal> {
  const [rows] = await tx.query<RowDataPacket[]>('SELECT fence FROM users WHERE id = ? FOR UPDATE', [userId]);
  const row = rows[0];
  if (!row) return { reason: 'no-user' };
  const current = Number(row.fence);
  return fence !== null && current >= fence ? { reason: 'stale-fence', current } : { reason: 'insufficient-balance' };
}

export async function userExists(db: Queryable, userId: number): Promise<boolean> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT 1 FROM users WHERE id = ?', [userId]);
  return rows.length === 1;
}

/** Which of `userIds` exist: one statement for any number of ids. */
export async function existingUsers(db: Queryable, userIds: readonly number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM users WHERE id IN (?)', [userIds]);
  return new Set(rows.map((r) => Number(r.id)));
}

/** The ids of the users with `from <= id < to`: a range read of the primary key. */
export async function existingUsersBetween(db: Queryable, from: number, to: number): Promise<number[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM users WHERE id >= ? AND id < ?', [from, to]);
  return rows.map((r) => Number(r.id));
}

export async function readBalance(db: Queryable, userId: number): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT balance FROM users WHERE id = ?', [userId]);
  return rows[0] ? exactInteger(rows[0].balance, `the balance of user ${userId}`) : null;
}

/**
 * Returns the balance after; null when the user does not exist. Refuses (400) a credit that
 * would take the balance past the exact integer range, leaving it untouched.
 */
export async function creditBalance(tx: Tx, userId: number, amount: number): Promise<number | null> {
  const [res] = await tx.query<ResultSetHeader>('UPDATE users SET balance = balance + ? WHERE id = ? AND balance <= ?', [
    amount,
    userId,
    MAX_EXACT - amount,
  ]);
  if (res.affectedRows !== 1) {
    if (!(await userExists(tx, userId))) return null;
    throw new AppError('AMOUNT_OUT_OF_RANGE');
  }
  return readBalance(tx, userId);
}
