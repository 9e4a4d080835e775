import { describe, expect, it } from 'vitest';
import { parseOpLine } from './op-line.ts';
import { OutcomeTally, percentile } from './outcome-tally.ts';

describe('parseOpLine', () => {
  it('reads class, reason and duration from a raw line and from inside k6 logfmt', () => {
    expect(parseOpLine('perf-lab-op coupon.issue outcome=fail coupon=1 user=7 status=409 class=business reason=COUPON_SOLD_OUT ms=3'))
      .toEqual({ op: 'coupon.issue', cls: 'business', reason: 'COUPON_SOLD_OUT', ms: 3 });
    expect(parseOpLine('time="2026-01-01T00:00:00Z" level=info msg="perf-lab-op order.create outcome=ack user=1 status=201 class=success reason=OK ms=12" source=console'))
      .toEqual({ op: 'order.create', cls: 'success', reason: 'OK', ms: 12 });
  });

  it('classes older lines without a class field by their reason', () => {
    expect(parseOpLine('perf-lab-op coupon.issue outcome=indeterminate coupon=1 user=7 status=0 reason=ERROR_1212')?.cls).toBe('system');
    expect(parseOpLine('perf-lab-op coupon.issue outcome=ack coupon=1 user=7 status=202 reason=OK')).toMatchObject({ cls: 'success', ms: undefined });
    expect(parseOpLine('perf-lab-op coupon.issue outcome=fail coupon=1 user=7 status=409 reason=COUPON_ALREADY_ISSUED')?.cls).toBe('business');
    expect(parseOpLine('some other console line')).toBeUndefined();
  });
});

describe('OutcomeTally', () => {
  it('counts per second and in total, with the second\'s success percentiles', () => {
    const tally = new OutcomeTally();
    for (let ms = 1; ms <= 100; ms++) tally.add({ op: 'x', cls: 'success', reason: 'OK', ms });
    tally.add({ op: 'x', cls: 'business', reason: 'COUPON_SOLD_OUT', ms: 500 });
    const first = tally.takeSecond();
    expect(first.outcomes).toEqual({ success: { OK: 100 }, business: { COUPON_SOLD_OUT: 1 }, system: {} });
    expect(first.successMs).toEqual({ p50: 50, p95: 95, p99: 99 });
    tally.add({ op: 'x', cls: 'system', reason: 'ERROR_1212', ms: 0 });
    expect(tally.takeSecond()).toEqual({ outcomes: { success: {}, business: {}, system: { ERROR_1212: 1 } }, successMs: null });
    expect(tally.totals).toEqual({ success: { OK: 100 }, business: { COUPON_SOLD_OUT: 1 }, system: { ERROR_1212: 1 } });
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});
