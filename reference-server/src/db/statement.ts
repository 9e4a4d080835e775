import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable } from './transaction.ts';

/** What one statement answered: its rows for a SELECT, a header for anything else. */
export type StatementResult = RowDataPacket[] | ResultSetHeader;

/**
 * One SQL statement, its values, and how to read its answer. A repository builds these rather
 * than running them, so a transaction can send several in one round trip (`StatementBatch`).
 */
export interface Statement<R> {
  readonly sql: string;
  readonly values: readonly unknown[];
  readonly read: (result: StatementResult) => R;
}

/**
 * Statements sent together, in one round trip: `add` returns a reader for that statement's
 * answer, valid once `run` has returned. MariaDB runs them in order and stops at the first that
 * fails, which rejects `run` (a transaction's caller then rolls back). On a 2-core machine a
 * round trip — a socket write and a wake-up on each side — costs more CPU than the short
 * statements of an order do (issue 19's order profile: half of the server's time was the
 * socket write of each statement), so an order sends its statements in a few batches. Every
 * value goes through a placeholder, which is what makes multiple statements safe to allow.
 */
export class StatementBatch {
  readonly #statements: Statement<unknown>[] = [];
  #answers: unknown[] | null = null;

  add<R>(statement: Statement<R>): () => R {
    if (this.#answers) throw new Error('this batch has already run');
    const index = this.#statements.push(statement) - 1;
    return () => {
      if (!this.#answers) throw new Error('this batch has not run yet');
      return this.#answers[index] as R;
    };
  }

  async run(db: Queryable): Promise<void> {
    if (this.#answers) throw new Error('this batch has already run');
    const statements = this.#statements;
    if (statements.length === 0) {
      this.#answers = [];
      return;
    }
    const [answer] = await db.query<ResultSetHeader>(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.values),
    );
    // One statement answers bare; several answer with one entry each.
    const answers = (statements.length === 1 ? [answer] : answer) as unknown as StatementResult[];
    this.#answers = statements.map((s, i) => s.read(answers[i] as StatementResult));
  }
}

export async function runStatement<R>(db: Queryable, statement: Statement<R>): Promise<R> {
  const batch = new StatementBatch();
  const answer = batch.add(statement);
  await batch.run(db);
  return answer();
}

export function rowsOf(result: StatementResult): RowDataPacket[] {
  if (!Array.isArray(result)) throw new TypeError('expected the rows of a SELECT, got a write result');
  return result;
}

export function headerOf(result: StatementResult): ResultSetHeader {
  if (Array.isArray(result)) throw new TypeError('expected a write result, got rows');
  return result;
}

/** For statements whose only answer that matters is that they did not fail. */
export function ignoreResult(): void {}

/** A conditional write's answer: did it change the one row it names? */
export function changedOneRow(result: StatementResult): boolean {
  return headerOf(result).affectedRows === 1;
}
