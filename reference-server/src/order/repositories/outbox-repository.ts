import type { Queryable } from '../../db/transaction.ts';
import { ignoreResult, rowsOf, StatementBatch, type Statement } from '../../db/statement.ts';

export interface OutboxEvent {
  readonly id: number;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  /** The JSON text exactly as stored, published as the message value. */
  readonly payload: string;
}

/** Written in the business transaction: the event exists if and only if the order does. */
export function insertOutboxEvent(event: { aggregateType: string; aggregateId: string; type: string; payload: unknown }): Statement<void> {
  return {
    sql: 'INSERT INTO outbox_events (aggregate_type, aggregate_id, type, payload) VALUES (?, ?, ?, ?)',
    values: [event.aggregateType, event.aggregateId, event.type, JSON.stringify(event.payload)],
    read: ignoreResult,
  };
}

/**
 * Claims up to `limit` of the oldest unsent events that nobody holds a live claim on, for
 * `leaseMs`, and reads them back: one round trip, no transaction held open. The claim is one
 * autocommitted UPDATE under READ COMMITTED (set for that statement's transaction only), which
 * takes no gap locks and lets go of rows that do not match, so concurrent order INSERTs never
 * wait on it, and two relays claim disjoint rows. Returns the claimed events, oldest first.
 */
export async function claimPendingEvents(db: Queryable, token: string, limit: number, leaseMs: number): Promise<OutboxEvent[]> {
  const claim = new StatementBatch();
  claim.add({ sql: 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED', values: [], read: ignoreResult });
  claim.add({
    sql: `UPDATE outbox_events SET claim_token = ?, claimed_until = NOW(3) + INTERVAL ? MICROSECOND
           WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < NOW(3))
           ORDER BY id LIMIT ?`,
    values: [token, leaseMs * 1000, limit],
    read: ignoreResult,
  });
  const claimed = claim.add({
    sql: 'SELECT id, aggregate_type, aggregate_id, type, payload FROM outbox_events WHERE claim_token = ? ORDER BY id',
    values: [token],
    read: (result) =>
      rowsOf(result).map((r) => ({
        id: Number(r.id),
        aggregateType: String(r.aggregate_type),
        aggregateId: String(r.aggregate_id),
        type: String(r.type),
        payload: typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload),
      })),
  });
  await claim.run(db);
  return claimed();
}

/** After Kafka acknowledged them; only rows still under this claim (autocommit, by primary key). */
export async function markEventsSent(db: Queryable, token: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    'UPDATE outbox_events SET sent_at = CURRENT_TIMESTAMP(3), claim_token = NULL, claimed_until = NULL WHERE id IN (?) AND claim_token = ?',
    [ids, token],
  );
}
