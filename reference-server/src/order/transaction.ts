import type { Pool, PoolConnection } from 'mysql2/promise';
import { OrderError } from './order-errors.ts';

declare const inTransaction: unique symbol;

/**
 * A connection inside BEGIN … COMMIT. Repository functions that must run in a transaction
 * take a `Tx`, so the compiler refuses to call them with a bare pool (kysely's habit).
 */
export type Tx = PoolConnection & { readonly [inTransaction]: true };

/** Anything a read-only query can run on: the pool, a connection, a transaction. */
export type Queryable = Pick<Pool, 'query'>;

/**
 * MySQL aborts a statement for a deadlock (1213, the whole transaction rolled back) or a lock
 * wait timeout (1205). Both are the database's contention, not the client's fault: the
 * transaction is simply run again.
 */
const RETRYABLE_ERRNOS = new Set([1205, 1213]);

/** Thrown inside a transaction to ask for a clean re-run (e.g. a concurrent idempotent replay). */
export class RetryTransaction extends Error {
  override readonly name = 'RetryTransaction';
}

export interface TransactionOptions {
  /** Extra attempts after the first. */
  readonly retries: number;
  /**
   * For this transaction only; the pool is shared with the coupon system, so the session
   * default (REPEATABLE READ) is left alone.
   */
  readonly isolation?: 'READ COMMITTED' | 'REPEATABLE READ';
}

export async function withTransaction<T>(pool: Pool, work: (tx: Tx) => Promise<T>, opts: TransactionOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const conn = await pool.getConnection();
    let healthy = true;
    try {
      if (opts.isolation) await conn.query(`SET TRANSACTION ISOLATION LEVEL ${opts.isolation}`);
      await conn.beginTransaction();
      const result = await work(conn as Tx);
      await conn.commit();
      return result;
    } catch (err) {
      healthy = await rollbackQuietly(conn);
      if (!isRetryable(err)) throw err;
      if (attempt >= opts.retries) throw new OrderError('ORDER_CONTENTION', undefined, { cause: err });
      // A short jittered pause so the transactions that just collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * (attempt + 1)));
    } finally {
      if (healthy) conn.release();
    }
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof RetryTransaction) return true;
  const errno = (err as { errno?: unknown }).errno;
  return typeof errno === 'number' && RETRYABLE_ERRNOS.has(errno);
}

/** A failed ROLLBACK (connection gone) must not hide the error that caused it. */
async function rollbackQuietly(conn: PoolConnection): Promise<boolean> {
  try {
    await conn.rollback();
    return true;
  } catch {
    // The server rolls back on disconnect; destroy so the pool does not hand the connection out.
    conn.destroy();
    return false;
  }
}
