import { describe, expect, it } from 'vitest';
import { parseApiContract, REFERENCE_API } from '@perf-lab/contract';
import { classify, errorCodeOf } from '../src/lib/classify.ts';

const COUPON_CONTRACT = REFERENCE_API.couponIssue;
const ORDER_CONTRACT = REFERENCE_API.orderCreate;

describe('classify', () => {
  it('splits success, business failure by reason, and system failure', () => {
    expect(classify(COUPON_CONTRACT, 202, undefined, undefined)).toEqual({ cls: 'success', reason: 'OK', outcome: 'ack' });
    expect(classify(COUPON_CONTRACT, 409, 'COUPON_SOLD_OUT', undefined)).toEqual({ cls: 'business', reason: 'COUPON_SOLD_OUT', outcome: 'fail' });
    expect(classify(ORDER_CONTRACT, 409, 'LOCK_TIMEOUT', undefined)).toEqual({ cls: 'business', reason: 'LOCK_TIMEOUT', outcome: 'fail' });
    expect(classify(COUPON_CONTRACT, 503, 'KAFKA_UNAVAILABLE', undefined)).toEqual({ cls: 'system', reason: 'HTTP_503_KAFKA_UNAVAILABLE', outcome: 'indeterminate' });
    expect(classify(COUPON_CONTRACT, 0, undefined, 'ERROR_1050', 'error.code')).toEqual({ cls: 'system', reason: 'ERROR_1050', outcome: 'indeterminate' });
  });
  it('treats statuses and codes outside the contract as system failures', () => {
    expect(classify(COUPON_CONTRACT, 409, 'INSUFFICIENT_STOCK', undefined).cls).toBe('system');
    expect(classify(COUPON_CONTRACT, 400, 'VALIDATION_FAILED', undefined)).toEqual({ cls: 'system', reason: 'HTTP_400_VALIDATION_FAILED', outcome: 'fail' });
    expect(classify(ORDER_CONTRACT, 204, undefined, undefined)).toMatchObject({ cls: 'system', outcome: 'ack' });
    expect(classify(COUPON_CONTRACT, 201, undefined, undefined)).toMatchObject({ cls: 'success', outcome: 'ack' });
  });
  it('reads error codes only from the JSON error shape', () => {
    expect(errorCodeOf('{"error":{"code":"COUPON_SOLD_OUT","message":"x"}}', 'error.code')).toBe('COUPON_SOLD_OUT');
    expect(errorCodeOf('{"status":"PENDING"}', 'error.code')).toBeUndefined();
    expect(errorCodeOf('<html>', 'error.code')).toBeUndefined();
    expect(errorCodeOf('{broken', 'error.code')).toBeUndefined();
  });
  it('classifies a foreign API by its declared statuses, codes and code field', () => {
    const api = parseApiContract({
      errorCodeField: 'errorCode',
      couponIssue: { success: [200], refusals: { statuses: [400], codes: { soldOut: ['E_SOLD_OUT'], duplicate: ['E_DUP'] } } },
    });
    const code = errorCodeOf('{"errorCode":"E_SOLD_OUT","message":"gone"}', api.errorCodeField);
    expect(code).toBe('E_SOLD_OUT');
    expect(classify(api.couponIssue, 400, code, undefined)).toEqual({ cls: 'business', reason: 'E_SOLD_OUT', outcome: 'fail' });
    // The reference server's 409 means nothing to this system: a system failure, nothing applied.
    expect(classify(api.couponIssue, 409, 'COUPON_SOLD_OUT', undefined)).toMatchObject({ cls: 'system', outcome: 'fail' });
    expect(classify(api.couponIssue, 202, undefined, undefined)).toMatchObject({ cls: 'system', outcome: 'ack' });
    expect(classify(api.couponIssue, 400, 'E_UNKNOWN', undefined).cls).toBe('system');
  });
});
