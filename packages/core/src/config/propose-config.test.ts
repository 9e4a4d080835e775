import { describe, expect, it } from 'vitest';
import { proposeSchema, renderConfig } from './propose-config.ts';
import { parseSchemaMap, REFERENCE_SCHEMA } from './schema-map.ts';

const REFERENCE = new Map<string, string[]>([
  ['users', ['id', 'balance', 'created_at']],
  ['coupons', ['id', 'name', 'total', 'issued', 'discount_amount']],
  ['user_coupons', ['id', 'user_id', 'coupon_id', 'used_order_id']],
  ['products', ['id', 'name', 'price', 'quantity']],
  ['balance_history', ['id', 'transaction_id', 'user_id', 'amount', 'type', 'balance_after', 'order_id']],
  ['orders', ['id', 'user_id', 'status']],
]);

const FOREIGN = new Map<string, string[]>([
  ['members', ['member_id', 'points']],
  ['promo', ['code', 'quantity', 'claimed', 'closes_at']],
  ['promo_claim', ['seq', 'member_id', 'promo_code', 'claimed_at']],
  ['wallet_ledger', ['seq', 'member', 'delta', 'before_amt', 'after_amt', 'tx']],
]);

describe('perf-lab init proposal', () => {
  it('proposes the reference names on the reference schema', () => {
    const { schema } = proposeSchema(REFERENCE);
    expect(schema['coupons']).toEqual({ table: 'coupons', ...pick(REFERENCE_SCHEMA.coupons!, ['id', 'total', 'issued']) });
    expect(schema['holders']).toEqual({ tables: 'user_coupons', id: 'id', userId: 'user_id', couponId: 'coupon_id' });
    expect(schema['products']).toEqual({ table: 'products', id: 'id', stock: 'quantity' });
    expect(schema['ledger']).toMatchObject({ table: 'balance_history', balanceAfter: 'balance_after', balanceBefore: null, transactionId: 'transaction_id' });
  });

  it('proposes a foreign schema by its names, and null for what is not there', () => {
    const { schema, unsure } = proposeSchema(FOREIGN);
    expect(schema['coupons']).toEqual({ table: 'promo', id: 'code', total: 'quantity', issued: 'claimed' });
    expect(schema['holders']).toEqual({ tables: 'promo_claim', id: 'seq', userId: 'member_id', couponId: 'promo_code' });
    expect(schema['users']).toEqual({ table: 'members', id: 'member_id', balance: 'points' });
    expect(schema['ledger']).toEqual({ table: 'wallet_ledger', id: 'seq', userId: 'member', amount: 'delta', balanceAfter: 'after_amt', balanceBefore: 'before_amt', transactionId: 'tx' });
    expect(schema['products']).toBeNull();
    expect(unsure).toEqual({});
  });

  it('writes a config whose schema section the schema parser accepts', async () => {
    const text = renderConfig(proposeSchema(FOREIGN), { targetUrl: 'http://127.0.0.1:8080', mysql: { user: 'app', host: '127.0.0.1', port: 3306, database: 'shop', url: '', password: '' } });
    expect(text).toContain("products: null, // no table looks like it");
    const module = (await import(`data:text/javascript,${encodeURIComponent(text)}`)) as { default: { schema: unknown; targetUrl: string } };
    expect(module.default.targetUrl).toBe('http://127.0.0.1:8080');
    expect(parseSchemaMap(module.default.schema).holders).toEqual({ tables: ['promo_claim'], id: 'seq', userId: 'member_id', couponId: 'promo_code', usedOrderId: null });
  });
});

function pick<T extends object>(value: T, keys: readonly (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Partial<T>;
}
