import { describe, expect, it } from 'vitest';
import type { IssueRequestMessage } from './issue-request-message.ts';
import { heldKey, planIssueBatch } from './plan-issue-batch.ts';
import type { BatchSnapshot } from './plan-issue-batch.ts';

const req = (n: number, userId: number, couponId = 1): IssueRequestMessage => ({
  requestId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  couponId,
  userId,
  requestedAt: '2024-01-01T00:00:00.000Z',
});

const snapshot = (s: Partial<BatchSnapshot>): BatchSnapshot => ({
  remaining: new Map(),
  held: new Map(),
  rejected: new Map(),
  ...s,
});

describe('planIssueBatch', () => {
  it('decides a mixed batch as if each message were applied alone, in order', () => {
    const applied = req(1, 10);
    const fresh = [req(2, 20), req(3, 30)];
    const duplicate = req(4, 10); // user 10 already holds the coupon through request 1
    const beyond = req(5, 50);
    const plan = planIssueBatch(
      [applied, ...fresh, duplicate, beyond],
      snapshot({ remaining: new Map([[1, 2]]), held: new Map([[heldKey(10, 1), applied.requestId]]) }),
    );
    expect(plan.outcomes).toEqual([
      { kind: 'already-applied' },
      { kind: 'issued' },
      { kind: 'issued' },
      { kind: 'rejected', reason: 'DUPLICATE', firstTime: true },
      { kind: 'rejected', reason: 'SOLD_OUT', firstTime: true },
    ]);
    expect(plan.inserts).toEqual(fresh);
    expect(plan.taken).toEqual(new Map([[1, 2]]));
    expect(plan.rejections.map((r) => [r.requestId, r.reason])).toEqual([
      [duplicate.requestId, 'DUPLICATE'],
      [beyond.requestId, 'SOLD_OUT'],
    ]);
  });

  it('treats earlier messages of the batch as already held or rejected', () => {
    const first = req(1, 10);
    const otherRequest = req(2, 10);
    const soldOut = req(3, 30);
    const plan = planIssueBatch([first, first, otherRequest, soldOut, soldOut], snapshot({ remaining: new Map([[1, 1]]) }));
    expect(plan.outcomes.map((o) => (o.kind === 'rejected' ? `${o.reason}:${o.firstTime}` : o.kind))).toEqual([
      'issued',
      'already-applied',
      'DUPLICATE:true',
      'SOLD_OUT:true',
      'SOLD_OUT:false',
    ]);
    expect(plan.inserts).toEqual([first]);
    expect(plan.rejections).toHaveLength(2);
  });

  it('keeps a recorded rejection final, even when stock has appeared since', () => {
    const rejectedBefore = req(1, 10);
    const plan = planIssueBatch(
      [rejectedBefore],
      snapshot({ remaining: new Map([[1, 5]]), rejected: new Map([[rejectedBefore.requestId, 'SOLD_OUT']]) }),
    );
    expect(plan.outcomes).toEqual([{ kind: 'rejected', reason: 'SOLD_OUT', firstTime: false }]);
    expect(plan.inserts).toEqual([]);
    expect(plan.rejections).toEqual([]);
  });

  it('counts stock per coupon, rejects an unknown coupon, and a row without request id is a duplicate', () => {
    const plan = planIssueBatch(
      [req(1, 10, 1), req(2, 11, 1), req(3, 10, 2), req(4, 12, 3), req(5, 13, 2)],
      snapshot({ remaining: new Map([[1, 1], [2, 3]]), held: new Map([[heldKey(13, 2), null]]) }),
    );
    expect(plan.outcomes.map((o) => (o.kind === 'rejected' ? o.reason : o.kind))).toEqual([
      'issued',
      'SOLD_OUT',
      'issued',
      'SOLD_OUT', // coupon 3 does not exist
      'DUPLICATE',
    ]);
    expect(plan.taken).toEqual(new Map([[1, 1], [2, 1]]));
  });
});
