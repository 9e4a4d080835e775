import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { exactInteger, MAX_EXACT } from '../../db/exact-integer.ts';
import type { Queryable, Tx } from '../../db/transaction.ts';
import { AppError } from '../../errors.ts';

/**
 * Records `fence` as the newest token to write this user's data — and refuses a token that
 * is not newer than one already recorded: the lock holder it belongs to lost its lease and
 * someone else has since written. It is the first write of an order transaction, so it also
 * takes the user's row lock, which serialises that user's orders even without a Redis lock.
 * false: the user is missing or the fence is stale (tell them apart with `userExists`).
 */
export async function claimFence(tx: Tx, userId: number, fence: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>('UPDATE users SET fence = ? WHERE id = ? AND fence < ?', [fence, userId, fence]);
  return res.affectedRows === 1;
}

/** Scope `none`: the same row lock without a token. false when the user does not exist. */
export async function lockUser(tx: Tx, userId: number): Promise<boolean> {
  const [rows] = await tx.query<RowDataPacket[]>('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
  return rows.length === 1;
}

/** The newest fence that wrote this user, or null when there is no such user. */
export async function readFence(db: Queryable, userId: number): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT fence FROM users WHERE id = ?', [userId]);
  return rows[0] ? Number(rows[0].fence) : null;
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

export async function readBalance(db: Queryable, userId: number): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT balance FROM users WHERE id = ?', [userId]);
  return rows[0] ? exactInteger(rows[0].balance, `the balance of user ${userId}`) : null;
}

/**
 * Takes `amount` only if the balance covers it, in one statement, so no interleaving can
 * drive a balance negative. false: it did not cover it. The balance after is not read back:
 * the ledger row takes it from the row itself (insertLedgerRowAtBalance), a round trip less.
 */
export async function debitBalance(tx: Tx, userId: number, amount: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>('UPDATE users SET balance = balance - ? WHERE id = ? AND balance >= ?', [
    amount,
    userId,
    amount,
  ]);
  return res.affectedRows === 1;
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
