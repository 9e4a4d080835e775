import { describe, expect, it } from 'vitest';
import { COUPON_CONTRACT, ORDER_CONTRACT, classify, errorCodeOf } from '../src/lib/classify.ts';

describe('classify', () => {
  it('splits success, business failure by reason, and system failure', () => {
    expect(classify(COUPON_CONTRACT, 202, undefined, undefined)).toEqual({ cls: 'success', reason: 'OK', outcome: 'ack' });
    expect(classify(COUPON_CONTRACT, 409, 'COUPON_SOLD_OUT', undefined)).toEqual({ cls: 'business', reason: 'COUPON_SOLD_OUT', outcome: 'fail' });
    expect(classify(ORDER_CONTRACT, 409, 'LOCK_TIMEOUT', undefined)).toEqual({ cls: 'business', reason: 'LOCK_TIMEOUT', outcome: 'fail' });
    expect(classify(COUPON_CONTRACT, 503, 'KAFKA_UNAVAILABLE', undefined)).toEqual({ cls: 'system', reason: 'HTTP_503_KAFKA_UNAVAILABLE', outcome: 'indeterminate' });
    expect(classify(COUPON_CONTRACT, 0, undefined, 'ERROR_1050')).toEqual({ cls: 'system', reason: 'ERROR_1050', outcome: 'indeterminate' });
  });
  it('treats statuses and codes outside the contract as system failures', () => {
    expect(classify(COUPON_CONTRACT, 409, 'INSUFFICIENT_STOCK', undefined).cls).toBe('system');
    expect(classify(COUPON_CONTRACT, 400, 'VALIDATION_FAILED', undefined)).toEqual({ cls: 'system', reason: 'HTTP_400_VALIDATION_FAILED', outcome: 'fail' });
    expect(classify(ORDER_CONTRACT, 204, undefined, undefined)).toMatchObject({ cls: 'system', outcome: 'ack' });
    expect(classify(COUPON_CONTRACT, 201, undefined, undefined)).toMatchObject({ cls: 'success', outcome: 'ack' });
  });
  it('reads error codes only from the JSON error shape', () => {
    expect(errorCodeOf('{"error":{"code":"COUPON_SOLD_OUT","message":"x"}}')).toBe('COUPON_SOLD_OUT');
    expect(errorCodeOf('{"status":"PENDING"}')).toBeUndefined();
    expect(errorCodeOf('<html>')).toBeUndefined();
    expect(errorCodeOf('{broken')).toBeUndefined();
  });
});
