import { describe, expect, it } from 'vitest';
import { couponKeys } from '@perf-lab/contract';
import { REFERENCE_SCHEMA, couponKey, parseSchemaMap } from './schema-map.ts';
import { parseUserInvariants } from './user-invariants.ts';

describe('schema map', () => {
  it('is the reference schema by default; a declared concept keeps reference names for its required keys, and lacks optional columns left out', () => {
    expect(parseSchemaMap(undefined)).toBe(REFERENCE_SCHEMA);
    const map = parseSchemaMap({ ledger: { table: 'wallet_ledger', balanceBefore: 'before_amt' }, redis: null });
    expect(map.reference).toBe(false);
    expect(map.ledger).toEqual({ ...REFERENCE_SCHEMA.ledger, table: 'wallet_ledger', balanceBefore: 'before_amt', type: null, orderId: null });
    // The order flow is absent unless declared: no check runs on reference tables that are not the user's.
    expect([map.orders, map.orderItems, map.payments, map.outbox, map.kafka]).toEqual([null, null, null, null, null]);
    expect(map.redis).toBeNull();
    expect(map.coupons).toEqual(REFERENCE_SCHEMA.coupons);
  });

  it('refuses a wrong declaration naming the exact place', () => {
    expect(() => parseSchemaMap({ ledgers: {} })).toThrow(/schema\.ledgers: unknown concept/);
    expect(() => parseSchemaMap({ ledger: { balance_after: 'x' } })).toThrow(/schema\.ledger\.balance_after: unknown key/);
    expect(() => parseSchemaMap({ users: { table: 'users; DROP TABLE x' } })).toThrow(/schema\.users\.table: expected a table or column name/);
    expect(() => parseSchemaMap({ users: { balance: null } })).toThrow(/schema\.users\.balance/);
    expect(() => parseSchemaMap({ redis: { stock: 'stock:all' } })).toThrow(/schema\.redis\.stock: a key pattern must hold \{coupon\}/);
    expect(() => parseSchemaMap({ holders: { tables: ['ok', 'no-t'] } })).toThrow(/schema\.holders\.tables: expected a list of table names/);
    expect(() => parseSchemaMap({ orders: { paidStatus: '' } })).toThrow(/schema\.orders\.paidStatus: expected the value as stored/);
    expect(() => parseSchemaMap({ kafka: { eventId: 'event-id' } })).toThrow(/schema\.kafka\.eventId: expected "header:<name>" or "value:<dotted\.path>"/);
    expect(() => parseSchemaMap({ kafka: { orderEvents: 'order events' } })).toThrow(/schema\.kafka\.orderEvents: expected a Kafka topic name/);
  });

  it('spells the reference server\'s Redis keys as the contract does', () => {
    const keys = couponKeys('p:', 7);
    const patterns = REFERENCE_SCHEMA.redis!;
    expect([patterns.issuedSet, patterns.stock, patterns.soldOut].map((k) => couponKey('p:', k!, 7))).toEqual([keys.issued, keys.stock, keys.soldOut]);
  });

  it('builds a coupon key from a declared pattern', () => {
    expect(couponKey('t1:', 'fcfs:{coupon}:members', 'test-coupon-1')).toBe('t1:fcfs:test-coupon-1:members');
  });
});

describe('user invariants', () => {
  const ok = { name: 'points.not-negative', meaning: 'no member has negative points', sql: 'SELECT member_id FROM members WHERE points < 0' };

  it('are named apart from the built-ins and default to the order system', () => {
    expect(parseUserInvariants([ok])).toEqual([{ ...ok, name: 'user.points.not-negative', system: 'order' }]);
    expect(parseUserInvariants(undefined)).toEqual([]);
  });

  it('refuse a wrong declaration naming the exact place', () => {
    expect(() => parseUserInvariants([ok, ok])).toThrow(/invariants\[1\]\.name: "points\.not-negative" is declared twice/);
    expect(() => parseUserInvariants([{ ...ok, sql: 'DELETE FROM members' }])).toThrow(/invariants\[0\]\.sql: expected one SELECT/);
    expect(() => parseUserInvariants([{ ...ok, sql: 'SELECT 1; DROP TABLE members' }])).toThrow(/invariants\[0\]\.sql: expected a single statement/);
    expect(() => parseUserInvariants([{ ...ok, meaning: '' }])).toThrow(/invariants\[0\]\.meaning/);
    expect(() => parseUserInvariants([{ ...ok, system: 'billing' }])).toThrow(/invariants\[0\]\.system: expected one of coupon, order/);
    expect(() => parseUserInvariants([{ ...ok, query: 'x' }])).toThrow(/invariants\[0\]\.query: unknown key/);
    expect(() => parseUserInvariants([{ ...ok, redis: { read: 'hgetall', key: 'k' } }])).toThrow(/invariants\[0\]\.redis\.read: expected one of get, scard/);
    expect(() => parseUserInvariants([{ ...ok, redis: { read: 'get', key: 'a b' } }])).toThrow(/invariants\[0\]\.redis\.key: expected a key/);
  });

  it('may compare a Redis key with SQL', () => {
    const check = { ...ok, redis: { read: 'scard', key: 'fcfs:{coupon}:members' }, sql: 'SELECT COUNT(*) FROM promo_claim WHERE promo_code = ?' };
    expect(parseUserInvariants([check])[0]).toMatchObject({ name: 'user.points.not-negative', redis: { read: 'scard', key: 'fcfs:{coupon}:members' } });
  });
});
