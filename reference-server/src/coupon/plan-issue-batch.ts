import type { RejectionReason } from './coupon-repository.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';

export type ApplyOutcome =
  | { readonly kind: 'issued' }
  /** This very request (same requestId) is already in user_coupons: a redelivery, do nothing. */
  | { readonly kind: 'already-applied' }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason; readonly firstTime: boolean };

/** What the database held when the batch's coupon rows were locked. */
export interface BatchSnapshot {
  /** total − issued per coupon; a coupon missing here does not exist (nothing to take). */
  readonly remaining: ReadonlyMap<number, number>;
  /** heldKey(userId, couponId) → request id of the row (null for rows written without one). */
  readonly held: ReadonlyMap<string, string | null>;
  /** request id → reason, for requests of this batch that were already rejected once. */
  readonly rejected: ReadonlyMap<string, RejectionReason>;
}

export interface IssuePlan {
  /** One per message, in the batch's order. */
  readonly outcomes: readonly ApplyOutcome[];
  readonly inserts: readonly IssueRequestMessage[];
  /** coupon → rows this batch inserts for it, i.e. how much `issued` grows. */
  readonly taken: ReadonlyMap<number, number>;
  /** Rejections to record (first time only). */
  readonly rejections: readonly (IssueRequestMessage & { readonly reason: RejectionReason })[];
}

export const heldKey = (userId: number, couponId: number): string => `${userId}:${couponId}`;

/**
 * The verdict on a batch, message by message, exactly as if each had been applied alone in
 * offset order (the one-transaction-per-message semantics), but computed in memory so the
 * whole batch is written with a few multi-row statements:
 *  - a row with the same request id → already applied (a redelivery: no compensation);
 *  - a row with another request id  → DUPLICATE (seed: "DB 중복");
 *  - a request rejected before      → the same verdict again, not recorded twice: a verdict is
 *    final, so a redelivery never issues what a client was already told was REJECTED;
 *  - stock left                     → issued (the coupon's remaining shrinks for the next one);
 *  - otherwise                      → SOLD_OUT (seed: "DB 품절").
 * Earlier messages of the batch count as held/rejected for later ones, so duplicates and
 * redeliveries inside one batch resolve as they would across batches.
 */
export function planIssueBatch(messages: readonly IssueRequestMessage[], snapshot: BatchSnapshot): IssuePlan {
  const remaining = new Map(snapshot.remaining);
  const held = new Map(snapshot.held);
  const rejected = new Map(snapshot.rejected);
  const outcomes: ApplyOutcome[] = [];
  const inserts: IssueRequestMessage[] = [];
  const taken = new Map<number, number>();
  const rejections: (IssueRequestMessage & { reason: RejectionReason })[] = [];

  const reject = (msg: IssueRequestMessage, reason: RejectionReason): ApplyOutcome => {
    const before = rejected.get(msg.requestId);
    if (before) return { kind: 'rejected', reason: before, firstTime: false };
    rejected.set(msg.requestId, reason);
    rejections.push({ ...msg, reason });
    return { kind: 'rejected', reason, firstTime: true };
  };

  for (const msg of messages) {
    const key = heldKey(msg.userId, msg.couponId);
    const holder = held.get(key);
    const left = remaining.get(msg.couponId) ?? 0;
    if (holder !== undefined) {
      outcomes.push(holder === msg.requestId ? { kind: 'already-applied' } : reject(msg, 'DUPLICATE'));
    } else if (rejected.has(msg.requestId) || left <= 0) {
      outcomes.push(reject(msg, 'SOLD_OUT'));
    } else {
      remaining.set(msg.couponId, left - 1);
      held.set(key, msg.requestId);
      taken.set(msg.couponId, (taken.get(msg.couponId) ?? 0) + 1);
      inserts.push(msg);
      outcomes.push({ kind: 'issued' });
    }
  }
  return { outcomes, inserts, taken, rejections };
}
