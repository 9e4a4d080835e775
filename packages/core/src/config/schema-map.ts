import { COUPON_KEY_PATTERNS } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';

/**
 * Where each concept the audit checks lives in the user's database: the `schema` of
 * perf-lab.config.*. A concept set to null is one the system does not have — the invariants
 * over it are skipped, saying so. A concept given in part keeps the reference names for the
 * rest, so the reference server's schema is simply the default declaration.
 */
export interface CouponsMap { readonly table: string; readonly id: string; readonly total: string; readonly issued: string }
export interface HoldersMap {
  /** The holdings tables; empty: those the coupon strategies name (the reference server's). */
  readonly tables: readonly string[];
  readonly id: string;
  readonly userId: string;
  readonly couponId: string;
}
export interface ProductsMap { readonly table: string; readonly id: string; readonly stock: string }
export interface UsersMap { readonly table: string; readonly id: string; readonly balance: string }
export interface LedgerMap {
  readonly table: string;
  /** Orders rows of one user as written (an auto-increment id or a timestamp). */
  readonly id: string;
  readonly userId: string;
  /** Signed change: negative for a payment. */
  readonly amount: string;
  readonly balanceAfter: string;
  /** The balance before the change, when the ledger records it (checked against the chain too). */
  readonly balanceBefore: string | null;
  readonly transactionId: string;
}
export interface RedisKeysMap {
  /** Key patterns with `{coupon}`; the configured key prefix goes in front. */
  readonly issuedSet: string | null;
  readonly stock: string | null;
  readonly soldOut: string | null;
}

export interface SchemaMap {
  readonly coupons: CouponsMap | null;
  readonly holders: HoldersMap | null;
  readonly products: ProductsMap | null;
  readonly users: UsersMap | null;
  readonly ledger: LedgerMap | null;
  readonly redis: RedisKeysMap | null;
  /** False once the user declared any part: invariants not yet mapped then skip rather than query reference tables. */
  readonly reference: boolean;
}

export const REFERENCE_SCHEMA: SchemaMap = {
  coupons: { table: 'coupons', id: 'id', total: 'total', issued: 'issued' },
  holders: { tables: [], id: 'id', userId: 'user_id', couponId: 'coupon_id' },
  products: { table: 'products', id: 'id', stock: 'quantity' },
  users: { table: 'users', id: 'id', balance: 'balance' },
  ledger: {
    table: 'balance_history', id: 'id', userId: 'user_id', amount: 'amount', balanceAfter: 'balance_after', balanceBefore: null,
    transactionId: 'transaction_id',
  },
  redis: { issuedSet: COUPON_KEY_PATTERNS.issued, stock: COUPON_KEY_PATTERNS.stock, soldOut: COUPON_KEY_PATTERNS.soldOut },
  reference: true,
};

type Concept = Exclude<keyof SchemaMap, 'reference'>;
const CONCEPTS: readonly Concept[] = ['coupons', 'holders', 'products', 'users', 'ledger', 'redis'];
const NULLABLE: Readonly<Partial<Record<Concept, readonly string[]>>> = { ledger: ['balanceBefore'], redis: ['issuedSet', 'stock', 'soldOut'] };
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;

function fail(where: string, message: string): never {
  throw new ConfigError(`invalid schema at ${where}: ${message} — fix the \`schema\` of perf-lab.config.* (docs/your-own-system.md)`);
}

function concept<C extends Concept>(name: C, value: unknown): SchemaMap[C] {
  const base = REFERENCE_SCHEMA[name] as unknown as Record<string, unknown>;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail(`schema.${name}`, 'expected an object, or null when the system has no such thing');
  const out: Record<string, unknown> = { ...base };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const where = `schema.${name}.${key}`;
    if (!(key in base)) fail(where, `unknown key; known: ${Object.keys(base).join(', ')}`);
    if (v === null && NULLABLE[name]?.includes(key)) out[key] = null;
    else if (key === 'tables') {
      if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || !IDENTIFIER.test(t))) fail(where, 'expected a list of table names');
      out[key] = v;
    } else if (typeof v !== 'string' || (name !== 'redis' && !IDENTIFIER.test(v))) {
      fail(where, name === 'redis' ? 'expected a key pattern with {coupon}, or null' : `expected a table or column name, got ${JSON.stringify(v)}`);
    } else if (name === 'redis' && !v.includes('{coupon}')) fail(where, `a key pattern must hold {coupon}, got "${v}"`);
    else out[key] = v;
  }
  return out as unknown as SchemaMap[C];
}

export function parseSchemaMap(value: unknown): SchemaMap {
  if (value === undefined) return REFERENCE_SCHEMA;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('schema', 'expected an object mapping concepts to tables and columns');
  const given = value as Record<string, unknown>;
  const extra = Object.keys(given).find((k) => !(CONCEPTS as readonly string[]).includes(k));
  if (extra !== undefined) fail(`schema.${extra}`, `unknown concept; known: ${CONCEPTS.join(', ')}`);
  const map: Record<string, unknown> = { reference: false };
  for (const name of CONCEPTS) map[name] = name in given ? concept(name, given[name]) : REFERENCE_SCHEMA[name];
  return map as unknown as SchemaMap;
}

/** A Redis key of the declared pattern for one coupon. */
export function couponKey(prefix: string, pattern: string, coupon: number | string): string {
  return `${prefix}${pattern.replace('{coupon}', String(coupon))}`;
}
