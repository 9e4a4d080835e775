import type { Statement } from './statement.ts';
import { queryThenCommit } from './transaction.ts';
import type { Tx } from './transaction.ts';

/** SIGNAL's message for a required write that changed nothing; the prefix tells ours from others. */
const REFUSAL_PREFIX = 'refused:';
/** MariaDB's ER_SIGNAL_EXCEPTION: a SIGNAL with a user-defined SQLSTATE. */
const SIGNAL_EXCEPTION = 1644;

/** A required write changed nothing: nothing was committed, and the transaction is still open. */
export class WriteRefused extends Error {
  override readonly name = 'WriteRefused';
  constructor(readonly refusal: string) {
    super(`the required write "${refusal}" changed nothing`);
  }
}

/**
 * A transaction's writes and its COMMIT in one round trip. The writes go as one MariaDB
 * compound statement (`BEGIN NOT ATOMIC … END`) in which a required write — a conditional
 * UPDATE whose answer is `changedOneRow` — that changed nothing SIGNALs, so MariaDB stops
 * there and the COMMIT after it never runs; `commit` then throws `WriteRefused` with that
 * write's name, the transaction still open to find out why and roll back. A round trip
 * instead of one per checked write: on a 2-core machine round trips are the CPU (statement.ts).
 */
export class CommitBatch {
  readonly #sql: string[] = [];
  readonly #values: unknown[] = [];

  add(statement: Statement<unknown>): void {
    this.#sql.push(statement.sql);
    this.#values.push(...statement.values);
  }

  /** `statement` must change exactly one row (ROW_COUNT() = 1, what `changedOneRow` reads), or the batch stops. */
  require(statement: Statement<boolean>, refusal: string): void {
    this.add(statement);
    this.#sql.push("IF ROW_COUNT() <> 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ?; END IF");
    this.#values.push(REFUSAL_PREFIX + refusal);
  }

  async commit(tx: Tx): Promise<void> {
    try {
      await queryThenCommit(tx, `BEGIN NOT ATOMIC\n${this.#sql.join(';\n')};\nEND`, this.#values);
    } catch (err) {
      const { errno, sqlMessage } = err as { errno?: unknown; sqlMessage?: unknown };
      if (errno === SIGNAL_EXCEPTION && typeof sqlMessage === 'string' && sqlMessage.startsWith(REFUSAL_PREFIX)) {
        throw new WriteRefused(sqlMessage.slice(REFUSAL_PREFIX.length));
      }
      throw err;
    }
  }
}
