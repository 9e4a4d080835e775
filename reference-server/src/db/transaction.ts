import type { Pool, PoolConnection } from 'mysql2/promise';

/** Anything that runs a statement: the pool (autocommit) or a connection. */
export type Queryable = Pool | PoolConnection;

/**
 * A connection inside an open transaction. Repository functions that are only correct as
 * part of a larger atomic unit (e.g. taking stock) take this type, so calling them on the
 * bare pool does not compile.
 */
export type InTransaction = PoolConnection & { readonly __inTransaction: true };

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `fn` in one transaction on one pooled connection: commit when it returns, roll back
 * when it throws or calls `rollback(value)` (an expected outcome, returned as a value rather
 * than thrown at the caller).
 */
export async function withTransaction<T>(
  pool: Pool,
  fn: (tx: InTransaction, rollback: (value: T) => never) => Promise<T>,
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    try {
      const value = await fn(conn as InTransaction, (v) => {
        throw new Rollback(v);
      });
      await conn.commit();
      return value;
    } catch (err) {
      await conn.rollback();
      if (err instanceof Rollback) return err.value as T;
      throw err;
    }
  } finally {
    conn.release();
  }
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'ER_DUP_ENTRY';
}
