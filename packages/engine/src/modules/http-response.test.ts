import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, selectPath } from './http-response.ts';
import { classifyError, statusErrorCode } from '../http/http-errors.ts';
import { expectedStatuses, isExpected } from './expected-statuses.ts';

describe('response helpers', () => {
  it('canonicalizes header names like Go', () => {
    expect(canonicalHeaderKey('content-type')).toBe('Content-Type');
    expect(canonicalHeaderKey('X-REQUEST-ID')).toBe('X-Request-Id');
  });

  it('selects gjson-style paths', () => {
    const v = { a: { items: [{ id: 7 }, { id: 8 }] } };
    expect(selectPath(v, 'a.items.1.id')).toBe(8);
    expect(selectPath(v, 'a.items.#')).toBe(2);
    expect(selectPath(v, 'a.nope.x')).toBeUndefined();
  });

  it("maps errors and statuses to k6's codes", () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(1212);
    expect(classifyError(Object.assign(new Error('x'), { code: 'K6_REQUEST_TIMEOUT' }))).toEqual({ code: 1050, message: 'request timeout' });
    expect(classifyError(new Error('weird')).code).toBe(1000);
    expect([statusErrorCode(200), statusErrorCode(404), statusErrorCode(503)]).toEqual([0, 1404, 1503]);
  });

  it('matches expected statuses by value and range', () => {
    const cb = expectedStatuses(418, { min: 200, max: 204 });
    expect([200, 204, 205, 418, 500].map((s) => isExpected(cb, s))).toEqual([true, true, false, true, false]);
    expect(() => expectedStatuses('x' as never)).toThrow(/neither an integer nor an object/);
  });
});
