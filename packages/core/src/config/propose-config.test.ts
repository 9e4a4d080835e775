import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { proposeSchema, renderConfig } from './propose-config.ts';
import { parseSchemaMap, REFERENCE_SCHEMA } from './schema-map.ts';

/** The reference server's tables and columns, as its migrations leave them. */
const REFERENCE = new Map<string, string[]>([
  ['balance_history', ['id', 'transaction_id', 'user_id', 'amount', 'type', 'balance_after', 'order_id', 'created_at']],
  ['cart_items', ['id', 'cart_id', 'product_id', 'quantity', 'added_at']],
  ['carts', ['id', 'user_id', 'created_at']],
  ['coupon_issue_rejections', ['request_id', 'user_id', 'coupon_id', 'reason', 'rejected_at']],
  ['coupons', ['id', 'name', 'total', 'issued', 'created_at', 'discount_amount']],
  ['naive_user_coupons', ['id', 'user_id', 'coupon_id', 'issued_at']],
  ['order_items', ['id', 'order_id', 'product_id', 'quantity', 'unit_price']],
  ['orders', ['id', 'user_id', 'status', 'total_amount', 'discount_amount', 'paid_amount', 'coupon_id', 'idempotency_key', 'request_hash', 'created_at']],
  ['outbox_events', ['id', 'aggregate_type', 'aggregate_id', 'type', 'payload', 'created_at', 'sent_at', 'claim_token', 'claimed_until']],
  ['payments', ['id', 'order_id', 'user_id', 'amount', 'status', 'transaction_id', 'created_at']],
  ['products', ['id', 'name', 'price', 'quantity', 'created_at']],
  ['user_coupons', ['id', 'user_id', 'coupon_id', 'request_id', 'issued_at', 'used_order_id', 'used_at']],
  ['users', ['id', 'balance', 'created_at', 'fence']],
]);

/** The foreign test system's tables (test/foreign-system), and the schema its config file declares. */
const FOREIGN = new Map<string, string[]>([
  ['event_outbox', ['event_id', 'aggregate_ref', 'event_name', 'body', 'published_at']],
  ['goods', ['sku', 'unit_cost', 'on_hand']],
  ['members', ['member_id', 'points']],
  ['promo', ['code', 'quantity', 'claimed', 'closes_at', 'discount']],
  ['promo_claim', ['seq', 'member_id', 'promo_code', 'claimed_at', 'spent_on']],
  ['purchase', ['order_no', 'buyer', 'state', 'gross', 'promo_code', 'promo_off', 'tx_ref']],
  ['purchase_line', ['line_no', 'order_no', 'sku', 'qty']],
  ['settlement', ['settle_id', 'order_no', 'charged', 'tx_ref']],
  ['wallet_history', ['hist_id', 'member', 'change_amount', 'balance_before', 'balance_after', 'transaction_id', 'kind', 'order_no']],
]);
const foreignConfig = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test/foreign-system/perf-lab.config.json'), 'utf8')) as
  { schema: Record<string, unknown> };

/** The proposal as the config file would hold it (a holdings table written as a list). */
function asDeclared(proposal: ReturnType<typeof proposeSchema>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(proposal.schema).map(([concept, v]) =>
    [concept, v && concept === 'holders' ? { ...v, tables: [v['tables']] } : v]));
}

describe('perf-lab init proposal', () => {
  it('proposes exactly the reference names on the reference schema', () => {
    const map = parseSchemaMap(asDeclared(proposeSchema(REFERENCE)));
    for (const concept of ['coupons', 'products', 'users', 'ledger', 'orders', 'orderItems', 'payments', 'outbox'] as const) {
      expect(map[concept], concept).toEqual(REFERENCE_SCHEMA[concept]);
    }
    expect(map.holders).toEqual({ ...REFERENCE_SCHEMA.holders, tables: ['user_coupons'] });
  });

  it('proposes a foreign schema by its names: what its config file declares', () => {
    const { schema, unsure } = proposeSchema(FOREIGN);
    const map = parseSchemaMap(asDeclared({ schema, unsure }));
    const declared = parseSchemaMap(foreignConfig.schema);
    for (const concept of ['coupons', 'holders', 'products', 'users', 'orderItems', 'payments', 'outbox'] as const) {
      expect(map[concept], concept).toEqual(declared[concept]);
    }
    // Values in the data (the ledger's kinds, the paid status) are the reference server's until the user says otherwise, and the file says so.
    expect(map.ledger).toEqual({ ...declared.ledger, paymentType: 'PAYMENT', chargeType: 'CHARGE' });
    expect(map.orders).toEqual({ ...declared.orders, paidStatus: 'PAID' });
    expect(unsure).toEqual({ ledger: ['the values paymentType (PAYMENT?), chargeType (CHARGE?)'], orders: ['the values paidStatus (PAID?)'] });
  });

  it('writes null for what is not there, and a config whose schema section the schema parser accepts', async () => {
    const proposal = proposeSchema(new Map([...FOREIGN].filter(([t]) => t === 'members' || t === 'promo' || t === 'promo_claim')));
    const text = renderConfig(proposal, { targetUrl: 'http://127.0.0.1:8080', mysql: { user: 'app', host: '127.0.0.1', port: 3306, database: 'shop', url: '', password: '' } });
    expect(text).toContain("products: null, // no table looks like it");
    const module = (await import(`data:text/javascript,${encodeURIComponent(text)}`)) as { default: { schema: unknown; targetUrl: string } };
    expect(module.default.targetUrl).toBe('http://127.0.0.1:8080');
    expect(parseSchemaMap(module.default.schema).holders).toEqual({ tables: ['promo_claim'], id: 'seq', userId: 'member_id', couponId: 'promo_code', usedOrderId: 'spent_on' });
    expect(parseSchemaMap(module.default.schema).orders).toBeNull();
  });
});
