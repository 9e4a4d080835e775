import type { Outcome } from './classify.ts';
import { logOp, type OpFields } from './op-log.ts';

/**
 * For your own k6 script: one line per operation in the format the audit reads
 * (docs/your-own-system.md), so its acknowledged-vs-persisted checks work on scripts perf-lab
 * did not write. Bundles with the script (no Node APIs):
 *
 *   import { recordOperation } from '@perf-lab/scenarios/record-operation';
 *   recordOperation('coupon.issue', res.status === 200 ? 'ack' : 'fail', { coupon: 'test-coupon-1', user: 'test-user-42', status: res.status, reason: 'OK' });
 *
 * `coupon.issue` needs coupon, user, status and reason; `order.create` needs user, status and
 * reason, and takes order (the created id), key (the idempotency key) and coupon.
 */
export type { Outcome } from './classify.ts';

export interface OperationFields extends OpFields {
  readonly status: number;
  readonly reason: string;
}

export function recordOperation(operation: string, outcome: Outcome, fields: OperationFields): void {
  logOp(true, operation, outcome, fields);
}
