import type { Pool } from 'mysql2/promise';
import { isDuplicateKey, withTransaction } from '../db/transaction.ts';
import type { Tx } from '../db/transaction.ts';
import {
  findHeld,
  findRejected,
  insertUserCoupons,
  lockCoupons,
  recordRejections,
  takeStockBatch,
} from './issue-batch-repository.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';
import { planIssueBatch } from './plan-issue-batch.ts';
import type { ApplyOutcome } from './plan-issue-batch.ts';

export type { ApplyOutcome } from './plan-issue-batch.ts';

/**
 * Thrown when the database contradicts the plan made under the coupon locks (a duplicate key
 * on insert, or the stock guard refusing). Only a writer that skips the coupon lock can cause
 * it; the batch has rolled back, and the consumer retries it against fresh state.
 */
export class BatchConflictError extends Error {
  override readonly name = 'BatchConflictError';
  readonly retriable = true;
}

/**
 * Stage 3 for a whole batch, in ONE transaction: lock the batch's coupon rows, read which
 * pairs already hold a row and which requests were already rejected, decide every message in
 * memory (planIssueBatch), then write with multi-row statements — about six round trips and
 * one commit whatever the batch size, instead of four round trips and a commit per message.
 * Returns one outcome per message, in order; Redis compensation is the caller's job and must
 * follow the commit.
 */
export async function applyIssueBatch(pool: Pool, messages: readonly IssueRequestMessage[]): Promise<ApplyOutcome[]> {
  if (messages.length === 0) return [];
  const couponIds = [...new Set(messages.map((m) => m.couponId))].sort((a, b) => a - b);
  return withTransaction(pool, async (tx) => {
    const remaining = await lockCoupons(tx, couponIds);
    const held = await findHeld(tx, messages);
    const rejected = await findRejected(tx, messages.map((m) => m.requestId));
    const plan = planIssueBatch(messages, { remaining, held, rejected });
    await writePlan(tx, plan);
    return [...plan.outcomes];
  });
}

async function writePlan(tx: Tx, plan: ReturnType<typeof planIssueBatch>): Promise<void> {
  try {
    await insertUserCoupons(tx, plan.inserts);
  } catch (err) {
    if (isDuplicateKey(err)) {
      throw new BatchConflictError('a user_coupons row appeared that the locked snapshot did not show', { cause: err });
    }
    throw err;
  }
  for (const [couponId, n] of plan.taken) {
    if (!(await takeStockBatch(tx, couponId, n))) {
      throw new BatchConflictError(`coupon ${couponId} had less stock than its locked row showed`);
    }
  }
  await recordRejections(tx, plan.rejections);
}
