import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordOperation } from '@perf-lab/scenarios/record-operation';
import { parseOperationLine } from './operation-line.ts';

describe('parseOperationLine', () => {
  it('reads raw lines and lines inside k6 logfmt alike', () => {
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=ack coupon=1 user=11 status=202 reason=OK'))
      .toEqual({ kind: 'coupon.issue', outcome: 'ack', coupon: 1, user: 11, reason: 'OK' });
    expect(parseOperationLine('time="t" level=info msg="perf-lab-op order.create outcome=ack user=3 status=201 reason=OK order=9 key=a-1" source=console'))
      .toEqual({ kind: 'order.create', outcome: 'ack', user: 3, order: 9, key: 'a-1', coupon: undefined, reason: 'OK' });
    expect(parseOperationLine('level=info msg="something else"')).toEqual({ kind: 'none' });
  });

  it('never turns a cut or non-numeric field into an id', () => {
    // Cut inside the order id's field: "order=" is empty, not order 0.
    expect(parseOperationLine('perf-lab-op order.create outcome=ack user=1 status=201 reason=OK order=')).toMatchObject({ kind: 'malformed' });
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=ack coupon=NaN user=1 status=202 reason=OK')).toMatchObject({ kind: 'malformed', why: 'coupon "NaN"' });
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=ack coupon=1 user=0 status=202 reason=OK')).toMatchObject({ kind: 'malformed' });
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=ack coupon=1 us')).toMatchObject({ kind: 'malformed' });
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=maybe coupon=1 user=1 status=202 reason=OK')).toMatchObject({ kind: 'malformed' });
    // k6 logfmt whose closing quote was lost with the end of the line.
    expect(parseOperationLine('level=info msg="perf-lab-op coupon.issue outcome=ack coupon=1 user=1 status=202 reason=OK')).toMatchObject({ kind: 'malformed' });
  });

  it('counts a well-formed operation it has no check for', () => {
    expect(parseOperationLine('perf-lab-op cart.add outcome=fail user=1 status=409 reason=X')).toEqual({ kind: 'other', op: 'cart.add', outcome: 'fail' });
  });
  it('reads ids in the shape the API contract declares, and only that shape', () => {
    const ids = { user: 'test-user-{n}', coupon: 'test-coupon-{n}' };
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=ack coupon=test-coupon-1 user=test-user-42 status=200 reason=OK', ids))
      .toEqual({ kind: 'coupon.issue', outcome: 'ack', coupon: 'test-coupon-1', user: 'test-user-42', reason: 'OK' });
    expect(parseOperationLine('perf-lab-op coupon.issue outcome=ack coupon=1 user=test-user-42 status=200 reason=OK', ids))
      .toMatchObject({ kind: 'malformed', why: 'coupon "1"' });
    expect(parseOperationLine('perf-lab-op order.create outcome=ack user=test-user-4x status=200 reason=OK', ids)).toMatchObject({ kind: 'malformed' });
    // An order id the system makes up (a UUID) is kept as text; a numeric one as a number.
    expect(parseOperationLine('perf-lab-op order.create outcome=ack user=test-user-4 status=200 reason=OK order=ord-9f3a key=k', ids))
      .toMatchObject({ kind: 'order.create', user: 'test-user-4', order: 'ord-9f3a' });
    expect(parseOperationLine('perf-lab-op order.create outcome=ack user=3 status=201 reason=OK order=17 key=k')).toMatchObject({ order: 17 });
  });
  afterEach(() => vi.restoreAllMocks());

  it('reads what the helper for users\' own k6 scripts writes', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    recordOperation('order.create', 'ack', { user: 'test-user-9', status: 200, reason: 'OK', order: 'ord-1', key: 'my key "1"' });
    recordOperation('coupon.issue', 'fail', { coupon: 'test-coupon-1', user: 'test-user-9', status: 400, reason: 'SOLD_OUT' });
    const ids = { user: 'test-user-{n}', coupon: 'test-coupon-{n}' };
    expect(lines.map((l) => parseOperationLine(l, ids))).toEqual([
      { kind: 'order.create', outcome: 'ack', user: 'test-user-9', order: 'ord-1', key: 'my_key_1_', coupon: undefined, reason: 'OK' },
      { kind: 'coupon.issue', outcome: 'fail', coupon: 'test-coupon-1', user: 'test-user-9', reason: 'SOLD_OUT' },
    ]);
  });
});
