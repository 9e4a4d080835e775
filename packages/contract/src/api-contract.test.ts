import { describe, expect, it } from 'vitest';
import { fillBody, fillText, formatId, keyTemplate, REFERENCE_API, valueAt } from './api-contract.ts';
import { ApiContractError, parseApiContract } from './api-contract-parse.ts';

function refusal(value: unknown): string {
  try {
    parseApiContract(value);
  } catch (err) {
    if (err instanceof ApiContractError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('API contract', () => {
  it('defaults to the reference API and overrides only what is declared', () => {
    expect(parseApiContract(undefined)).toBe(REFERENCE_API);
    const api = parseApiContract({ ids: { user: 'test-user-{n}' }, orderCreate: { headers: {}, body: { buyer: '{user}', txId: 'tx-{key}' } } });
    expect(api.ids).toEqual({ user: 'test-user-{n}', coupon: '{n}', product: '{n}' });
    expect(api.orderCreate.path).toBe(REFERENCE_API.orderCreate.path);
    expect(api.orderCreate.refusals).toEqual(REFERENCE_API.orderCreate.refusals);
    expect(api.orderCreate.headers).toEqual({});
    expect(api.orderCreate.body).toEqual({ buyer: '{user}', txId: 'tx-{key}' });
  });

  it('refuses a wrong declaration naming the exact place', () => {
    expect(refusal({ ids: { user: 'test-user' } })).toMatch(/^api\.ids\.user: an id format must hold \{n\}/);
    expect(refusal({ orderCreate: { refusals: { statuses: [409, 200] } } })).toMatch(/^api\.orderCreate\.refusals\.statuses\[1\]: expected an HTTP status 400–499, got 200/);
    expect(refusal({ couponIssue: { success: [] } })).toMatch(/^api\.couponIssue\.success: expected a non-empty list/);
    expect(refusal({ couponIssue: { refusals: { codes: { soldout: ['X'] } } } })).toMatch(/^api\.couponIssue\.refusals\.codes\.soldout: unknown key/);
    expect(refusal({ couponIssue: { path: '/coupons/{couponId}/issue' } })).toMatch(/^api\.couponIssue\.path: unknown placeholder \{couponId\}/);
    expect(refusal({ orderCreate: { path: 'orders' } })).toMatch(/^api\.orderCreate\.path: a path starts with "\/"/);
    expect(refusal({ orderCreate: { method: 'GET' } })).toMatch(/^api\.orderCreate\.method: expected POST or PUT/);
    expect(refusal({ orderCreat: {} })).toMatch(/^api\.orderCreat: unknown key/);
    expect(refusal([])).toMatch(/^api: expected an object/);
  });

  it('writes ids and fills templates keeping an exact placeholder\'s type', () => {
    expect(formatId('{n}', 42)).toBe(42);
    expect(formatId('test-user-{n}', 42)).toBe('test-user-42');
    const values = { user: 'test-user-7', key: 'k1', coupon: 3 };
    expect(fillText('/api/users/{user}/coupons/{coupon}', values)).toBe('/api/users/test-user-7/coupons/3');
    expect(fillBody({ buyer: '{user}', coupon: '{coupon}', tx: 'tx-{key}', items: [{ qty: 1 }], cart: true }, values))
      .toEqual({ buyer: 'test-user-7', coupon: 3, tx: 'tx-k1', items: [{ qty: 1 }], cart: true });
  });

  it('reads dotted fields', () => {
    expect(valueAt({ error: { code: 'X' } }, 'error.code')).toBe('X');
    expect(valueAt({ data: null }, 'data.id')).toBeUndefined();
    expect(valueAt([1], '')).toEqual([1]);
  });

  it('finds how the key is stored: the first header or body value that holds it', () => {
    expect(keyTemplate(REFERENCE_API.orderCreate)).toBe('{key}');
    expect(keyTemplate({ headers: {}, body: { buyer: '{user}', meta: [{ tx: 'tx-{user}-{key}' }] } })).toBe('tx-{user}-{key}');
    expect(keyTemplate({ headers: {}, body: { buyer: '{user}' } })).toBe('{key}');
  });
});
