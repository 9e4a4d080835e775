import { REFERENCE_API } from '@perf-lab/contract';
import { describe, expect, it } from 'vitest';
import type { OpRecord } from '../run/op-line.ts';
import type { InvariantResult } from '../audit/invariant.ts';
import { auditSummary, outcomeRows } from './outcome-summary.ts';

const ops = (op: string, cls: OpRecord['cls'], reason: string, n: number): OpRecord[] => Array.from({ length: n }, () => ({ op, cls, reason, ms: 1 }));

describe('outcomeRows', () => {
  it('names each operation in business words, by the API contract, with counts and shares of all responses', () => {
    const rows = outcomeRows([
      ...ops('coupon.issue', 'success', 'OK', 30),
      ...ops('coupon.issue', 'business', 'COUPON_SOLD_OUT', 50),
      ...ops('coupon.issue', 'business', 'COUPON_ALREADY_ISSUED', 5),
      ...ops('order.create', 'success', 'OK', 10),
      ...ops('order.create', 'business', 'INSUFFICIENT_BALANCE', 3),
      ...ops('order.create', 'business', 'LOCK_TIMEOUT', 1),
      ...ops('order.create', 'business', 'SOMETHING_NEW', 1),
    ], REFERENCE_API);
    expect(rows.map((r) => [r.outcome, r.code, r.count, r.share])).toEqual([
      ['issued', '', 30, 0.3],
      ['paid', '', 10, 0.1],
      ['sold out', 'COUPON_SOLD_OUT', 50, 0.5],
      ['already issued', 'COUPON_ALREADY_ISSUED', 5, 0.05],
      ['insufficient balance', 'INSUFFICIENT_BALANCE', 3, 0.03],
      ['lock timeout', 'LOCK_TIMEOUT', 1, 0.01],
      ['refused', 'SOMETHING_NEW', 1, 0.01],
      ['system errors', '', 0, 0],
    ]);
  });

  it('lists system errors by cause with k6 error names', () => {
    const rows = outcomeRows([...ops('coupon.issue', 'success', 'OK', 1), ...ops('coupon.issue', 'system', 'ERROR_1212', 3)], REFERENCE_API);
    expect(rows.at(-1)).toEqual({ cls: 'system', outcome: 'system error', code: '1212 connection refused', count: 3, share: 0.75 });
    expect(rows.some((r) => r.outcome === 'system errors')).toBe(false);
  });
});

describe('auditSummary', () => {
  const inv = (name: string, status: InvariantResult['status'], violations = 0): InvariantResult =>
    ({ name, meaning: '', status, ok: status !== 'violated', violations, examples: [] });

  it('counts what held, names what was violated, says why it is unknown', () => {
    expect(auditSummary({ verdict: 'ok', reasons: [], invariants: [inv('a', 'ok'), inv('b', 'ok'), inv('c', 'not-applicable')] }))
      .toEqual({ verdict: 'ok', detail: '2 invariants held (1 not applicable)' });
    expect(auditSummary({ verdict: 'violated', reasons: [], invariants: [inv('a', 'ok'), inv('coupon.no-over-issue', 'violated', 92)] }))
      .toEqual({ verdict: 'VIOLATED', detail: 'coupon.no-over-issue (92)' });
    expect(auditSummary({ verdict: 'unknown', reasons: ['Kafka lag never drained'], invariants: [inv('a', 'unchecked')] }))
      .toEqual({ verdict: 'UNKNOWN', detail: 'Kafka lag never drained' });
  });
});
