import type { Pool, PoolConnection, QueryValues } from 'mysql2/promise';
import { AppError } from '../errors.ts';

declare const inTransaction: unique symbol;

/**
 * A connection inside BEGIN … COMMIT. Repository functions that are only correct as part of a
 * larger atomic unit take a `Tx`, so the compiler refuses to call them with a bare pool
 * (kysely's habit).
 */
export type Tx = PoolConnection & { readonly [inTransaction]: true };

/** Anything a single statement can run on: the pool (autocommit), a connection, a transaction. */
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
  /** Extra attempts after the first for a deadlock, a lock wait timeout or RetryTransaction. */
  readonly retries?: number;
  /**
   * For this transaction only; the pool is shared, so the session default (REPEATABLE READ)
   * is left alone.
   */
  readonly isolation?: 'READ COMMITTED' | 'REPEATABLE READ';
}

class Rollback {
  constructor(readonly value: unknown) {}
}

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it returns, ROLLBACK
 * when it throws or calls `rollback(value)` (an expected outcome, returned as a value rather
 * than thrown at the caller). Contention is retried; once the retries are spent the client
 * hears 409 ORDER_CONTENTION. A ROLLBACK that fails (the connection died) never hides the
 * error that caused it, and that connection is destroyed, never handed back to the pool.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: Tx, rollback: (value: T) => never) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 0;
  const rollback = (value: T): never => {
    throw new Rollback(value);
  };
  const begin = opts.isolation ? [`SET TRANSACTION ISOLATION LEVEL ${opts.isolation}`, 'START TRANSACTION'] : ['START TRANSACTION'];
  for (let attempt = 0; ; attempt++) {
    const conn = await pool.getConnection();
    const { tx, state } = allowsMultipleStatements(conn) ? beginningWithFirstQuery(conn, begin) : await beginningAlone(conn, begin);
    let healthy = true;
    try {
      const result = await work(tx, rollback);
      if (state.begun && !state.committed) await conn.commit();
      return result;
    } catch (err) {
      if (state.begun && !state.committed) healthy = await rollbackQuietly(conn);
      if (err instanceof Rollback) return err.value as T;
      if (!isRetryable(err)) throw err;
      if (attempt >= retries) throw new AppError('ORDER_CONTENTION', undefined, { cause: err });
      // A short jittered pause so the transactions that just collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * (attempt + 1)));
    } finally {
      if (healthy) conn.release();
    }
  }
}

interface TxState {
  /** The first query went out, with BEGIN in front of it. */
  begun: boolean;
  /** `queryThenCommit` committed it: nothing left to COMMIT or roll back. */
  committed: boolean;
}

const states = new WeakMap<Tx, TxState>();

/**
 * The connection handed to a transaction's work: BEGIN (and its isolation) goes out with the
 * first query, as statements of the same multi-statement round trip (the pool allows them, see
 * mysql-pool.ts), and that query answers as if sent alone. An order's first query is its batch
 * of reads, so its transaction costs no round trip of its own (statement.ts: why that matters).
 * Nothing sent, nothing begun: then there is nothing to COMMIT or roll back either.
 */
function beginningWithFirstQuery(conn: PoolConnection, begin: readonly string[]): { readonly tx: Tx; readonly state: TxState } {
  const state: TxState = { begun: false, committed: false };
  const first = async (sql: string, values?: QueryValues): Promise<[unknown, unknown]> => {
    state.begun = true;
    const [answer, fields] = (await conn.query(`${begin.join(';\n')};\n${sql}`, values)) as unknown as [unknown[], unknown[]];
    const answers = answer.slice(begin.length);
    const columns = (fields ?? []).slice(begin.length);
    // One statement answers bare, several as a list: as the query would have without BEGIN.
    return answers.length === 1 ? [answers[0], columns[0]] : [answers, columns];
  };
  const tx = new Proxy(conn, {
    get: (target, property, receiver) => (property === 'query' && !state.begun ? first : Reflect.get(target, property, receiver)),
  }) as Tx;
  states.set(tx, state);
  return { tx, state };
}

/** A pool created without multiple statements (not createMysqlPool's) gets BEGIN on its own. */
async function beginningAlone(conn: PoolConnection, begin: readonly string[]): Promise<{ readonly tx: Tx; readonly state: TxState }> {
  for (const statement of begin) await conn.query(statement);
  const tx = conn as Tx;
  const state: TxState = { begun: true, committed: false };
  states.set(tx, state);
  return { tx, state };
}

function allowsMultipleStatements(conn: PoolConnection): boolean {
  return (conn as { connection?: { config?: { multipleStatements?: unknown } } }).connection?.config?.multipleStatements === true;
}

/**
 * Sends `sql` and then COMMIT in the same round trip: when `sql` fails, MariaDB stops there and
 * the COMMIT never runs, so the transaction is still open for the caller to look into and roll
 * back (by throwing). Once this returns, the transaction is committed and `work` must only
 * return.
 */
export async function queryThenCommit(tx: Tx, sql: string, values: QueryValues): Promise<void> {
  const state = states.get(tx);
  if (!state) throw new Error('queryThenCommit needs the transaction withTransaction handed out');
  await tx.query(`${sql};\nCOMMIT`, values);
  state.committed = true;
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { errno?: unknown })?.errno === 1062;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof RetryTransaction) return true;
  const errno = (err as { errno?: unknown }).errno;
  return typeof errno === 'number' && RETRYABLE_ERRNOS.has(errno);
}

/** false when the ROLLBACK itself failed; the connection is then destroyed here. */
async function rollbackQuietly(conn: PoolConnection): Promise<boolean> {
  try {
    await conn.rollback();
    return true;
  } catch {
    // The server rolls back on disconnect; destroying keeps the pool from handing it out again.
    conn.destroy();
    return false;
  }
}
