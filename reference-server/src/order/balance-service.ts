import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { LEDGER_TYPES } from '@perf-lab/contract';
import { AppError } from '../errors.ts';
import { findLedgerRow, insertLedgerRow } from './repositories/balance-history-repository.ts';
import { creditBalance } from './repositories/user-repository.ts';
import { RetryTransaction, withTransaction } from '../db/transaction.ts';

export interface ChargeResult {
  readonly userId: number;
  readonly balance: number;
  readonly transactionId: string;
  /** true: an earlier request with the same Idempotency-Key made this charge. */
  readonly replayed: boolean;
}

class DuplicateCharge extends Error {}

/**
 * Tops a balance up and writes its ledger row in one transaction. With an Idempotency-Key
 * the ledger's UNIQUE transaction_id makes a retried charge apply once: the second insert
 * fails, its transaction (credit included) rolls back, and the first result is answered.
 */
export async function chargeBalance(
  pool: Pool,
  userId: number,
  amount: number,
  idempotencyKey: string | null,
  retries: number,
): Promise<ChargeResult> {
  // Hashed so any key fits the column; the user id inside keeps users' keys apart.
  const transactionId = idempotencyKey === null
    ? `charge:${randomUUID()}`
    : `charge:${userId}:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
  try {
    const balance = await withTransaction(
      pool,
      async (tx) => {
        const after = await creditBalance(tx, userId, amount);
        if (after === null) throw new AppError('USER_NOT_FOUND');
        try {
          await insertLedgerRow(tx, { transactionId, userId, amount, type: LEDGER_TYPES.charge, balanceAfter: after, orderId: null });
        } catch (err) {
          if ((err as { errno?: number }).errno === 1062) throw new DuplicateCharge();
          throw err;
        }
        return after;
      },
      { retries },
    );
    return { userId, balance, transactionId, replayed: false };
  } catch (err) {
    if (!(err instanceof DuplicateCharge)) throw err;
  }
  const earlier = await findLedgerRow(pool, transactionId);
  if (!earlier) throw new RetryTransaction('charge ledger row vanished after a duplicate');
  if (earlier.userId !== userId || earlier.amount !== amount || earlier.type !== LEDGER_TYPES.charge) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED');
  }
  // The balance as that charge left it: the same answer the first request got.
  return { userId, balance: earlier.balanceAfter, transactionId, replayed: true };
}
