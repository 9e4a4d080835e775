import type { RowDataPacket } from 'mysql2/promise';
import type { Tx } from '../../db/transaction.ts';

export interface OutboxEvent {
  readonly id: number;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  /** The JSON text exactly as stored, published as the message value. */
  readonly payload: string;
}

/** Written in the business transaction: the event exists if and only if the order does. */
export async function insertOutboxEvent(
  tx: Tx,
  event: { aggregateType: string; aggregateId: string; type: string; payload: unknown },
): Promise<void> {
  await tx.query('INSERT INTO outbox_events (aggregate_type, aggregate_id, type, payload) VALUES (?, ?, ?, ?)', [
    event.aggregateType,
    event.aggregateId,
    event.type,
    JSON.stringify(event.payload),
  ]);
}

/**
 * The oldest unsent events, row-locked for this relay until its transaction ends. SKIP
 * LOCKED lets a second relay (another server process) take the next rows instead of
 * waiting for, or duplicating, these.
 */
export async function claimPendingEvents(tx: Tx, limit: number): Promise<OutboxEvent[]> {
  const [rows] = await tx.query<RowDataPacket[]>(
    `SELECT id, aggregate_type, aggregate_id, type, payload FROM outbox_events
      WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    aggregateType: String(r.aggregate_type),
    aggregateId: String(r.aggregate_id),
    type: String(r.type),
    payload: typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload),
  }));
}

export async function markEventsSent(tx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('UPDATE outbox_events SET sent_at = CURRENT_TIMESTAMP(3) WHERE id IN (?)', [ids]);
}
