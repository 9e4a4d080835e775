import { describe, expect, it } from 'vitest';
import { earlyAbortReason } from './early-abort.ts';

const rule = { seconds: 10, minFailures: 10, failures: 1000 };
const counts = (success: number, business: number, refused: number) => ({
  success: success ? { OK: success } : {}, business: business ? { COUPON_SOLD_OUT: business } : {}, system: refused ? { ERROR_1212: refused } : {},
});

describe('earlyAbortReason', () => {
  it('stops once the time and the failure count are reached with nothing answered', () => {
    expect(earlyAbortReason(counts(0, 0, 50), 10, rule)).toBe(
      'stopped after 10 s: all 50 requests failed with system errors and none was answered (50 × 1212 connection refused)');
  });

  it('stops before the time once the failure cap is reached', () => {
    expect(earlyAbortReason(counts(0, 0, 1000), 2, rule)).toBe(
      'stopped after 2 s: all 1000 requests failed with system errors and none was answered (1000 × 1212 connection refused)');
    expect(earlyAbortReason(counts(0, 0, 999), 2, rule)).toBeUndefined();
  });

  it('goes on before the time, below the count, or when anything was answered (even only business failures)', () => {
    expect(earlyAbortReason(counts(0, 0, 500), 9, rule)).toBeUndefined();
    expect(earlyAbortReason(counts(0, 0, 9), 30, rule)).toBeUndefined();
    expect(earlyAbortReason(counts(1, 0, 500), 30, rule)).toBeUndefined();
    expect(earlyAbortReason(counts(0, 1, 500), 30, rule)).toBeUndefined();
  });
});
