import { COUPON_KEY_PATTERNS, EVENT_ID_HEADER, LEDGER_TYPES, ORDER_AGGREGATE, ORDER_PAID_STATUS } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';

/**
 * Where each concept the audit checks lives in the user's database: the `schema` of
 * perf-lab.config.*. A concept set to null is one the system does not have — the invariants
 * over it are skipped, saying so. A concept given in part keeps the reference names for its
 * required keys; its optional columns (nullable below) left out are ones it does not have.
 * The reference server's schema is simply the default declaration.
 */
export interface CouponsMap {
  readonly table: string; readonly id: string; readonly total: string; readonly issued: string;
  /** Flat discount an order using the coupon gets, capped at the order total. */
  readonly discount: string | null;
}
export interface HoldersMap {
  /** The holdings tables; empty: those the coupon strategies name (the reference server's). */
  readonly tables: readonly string[];
  readonly id: string;
  readonly userId: string;
  readonly couponId: string;
  /** The order that spent the held coupon (null while unused), in the first holdings table. */
  readonly usedOrderId: string | null;
}
export interface ProductsMap { readonly table: string; readonly id: string; readonly stock: string; readonly price: string | null }
export interface UsersMap { readonly table: string; readonly id: string; readonly balance: string }
export interface LedgerMap {
  readonly table: string;
  /** Orders rows of one user as written (an auto-increment id or a timestamp). */
  readonly id: string;
  readonly userId: string;
  /** The change: negative for a payment, unless `amountSign` is 'positive' (then the type says which way). */
  readonly amount: string;
  readonly amountSign: 'signed' | 'positive';
  readonly balanceAfter: string;
  /** The balance before the change, when the ledger records it (checked against the chain too). */
  readonly balanceBefore: string | null;
  readonly transactionId: string;
  readonly orderId: string | null;
  /** The row's kind; without one a negative amount is a payment and a positive one a charge. */
  readonly type: string | null;
  readonly paymentType: string;
  readonly chargeType: string;
}
export interface OrdersMap {
  readonly table: string; readonly id: string; readonly userId: string;
  /** Without a status column every row is a paid order (a system that writes only those). */
  readonly status: string | null;
  readonly paidStatus: string;
  readonly total: string;
  readonly discount: string | null;
  readonly paid: string | null;
  readonly couponId: string | null;
  /** Holds the request's `{key}` as sent (Idempotency-Key header or a body transaction id). */
  readonly idempotencyKey: string | null;
}
export interface OrderItemsMap {
  readonly table: string; readonly id: string; readonly orderId: string; readonly productId: string; readonly quantity: string;
  readonly unitPrice: string | null;
}
export interface PaymentsMap {
  readonly table: string; readonly id: string; readonly orderId: string; readonly amount: string;
  /** Ties a payment to its ledger row; without it they are matched by the ledger's orderId. */
  readonly transactionId: string | null;
}
export interface OutboxMap {
  readonly table: string; readonly id: string;
  /** Null until the relay has published the row. */
  readonly sentAt: string;
  readonly aggregateId: string | null;
  readonly aggregateType: string | null;
  /** The aggregate type of an order's event (compared ignoring case). */
  readonly orderAggregate: string;
  readonly type: string | null;
}
export interface KafkaMap {
  /** Topic the outbox is published to (the topic prefix goes in front); null: the server's REF_OUTBOX_TOPIC. */
  readonly orderEvents: string | null;
  /**
   * Topic an asynchronous coupon flow queues accepted requests on, read by the consumer group
   * `consumerGroup` names: the audit waits for that group's lag to drain. null: the reference one.
   */
  readonly couponRequests: string | null;
  /** Where a message carries its outbox row's id: `header:<name>` or `value:<dotted.path>` of a JSON value. */
  readonly eventId: string;
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
  readonly orders: OrdersMap | null;
  readonly orderItems: OrderItemsMap | null;
  readonly payments: PaymentsMap | null;
  readonly outbox: OutboxMap | null;
  readonly kafka: KafkaMap | null;
  readonly redis: RedisKeysMap | null;
  /** False once the user declared any part. */
  readonly reference: boolean;
}

export const REFERENCE_SCHEMA: SchemaMap = {
  coupons: { table: 'coupons', id: 'id', total: 'total', issued: 'issued', discount: 'discount_amount' },
  holders: { tables: [], id: 'id', userId: 'user_id', couponId: 'coupon_id', usedOrderId: 'used_order_id' },
  products: { table: 'products', id: 'id', stock: 'quantity', price: 'price' },
  users: { table: 'users', id: 'id', balance: 'balance' },
  ledger: {
    table: 'balance_history', id: 'id', userId: 'user_id', amount: 'amount', amountSign: 'signed', balanceAfter: 'balance_after', balanceBefore: null,
    transactionId: 'transaction_id', orderId: 'order_id', type: 'type', paymentType: LEDGER_TYPES.payment, chargeType: LEDGER_TYPES.charge,
  },
  orders: {
    table: 'orders', id: 'id', userId: 'user_id', status: 'status', paidStatus: ORDER_PAID_STATUS, total: 'total_amount', discount: 'discount_amount',
    paid: 'paid_amount', couponId: 'coupon_id', idempotencyKey: 'idempotency_key',
  },
  orderItems: { table: 'order_items', id: 'id', orderId: 'order_id', productId: 'product_id', quantity: 'quantity', unitPrice: 'unit_price' },
  payments: { table: 'payments', id: 'id', orderId: 'order_id', amount: 'amount', transactionId: 'transaction_id' },
  outbox: {
    table: 'outbox_events', id: 'id', sentAt: 'sent_at', aggregateId: 'aggregate_id', aggregateType: 'aggregate_type', orderAggregate: ORDER_AGGREGATE, type: 'type',
  },
  kafka: { orderEvents: null, couponRequests: null, eventId: `header:${EVENT_ID_HEADER}` },
  redis: { issuedSet: COUPON_KEY_PATTERNS.issued, stock: COUPON_KEY_PATTERNS.stock, soldOut: COUPON_KEY_PATTERNS.soldOut },
  reference: true,
};

export type Concept = Exclude<keyof SchemaMap, 'reference'>;
export const CONCEPTS: readonly Concept[] = ['coupons', 'holders', 'products', 'users', 'ledger', 'orders', 'orderItems', 'payments', 'outbox', 'kafka', 'redis'];
/**
 * The order flow's concepts arrived after systems had declared schemas without them: left out of
 * a declared schema they are absent, so no check ever runs on reference tables that are not the user's.
 */
const ABSENT_UNLESS_DECLARED: ReadonlySet<Concept> = new Set(['orders', 'orderItems', 'payments', 'outbox', 'kafka']);

/** How each key is read: a column (`?`: the system may not have it), a value compared in SQL, or a Redis/Kafka name. */
type Kind = 'table' | 'tables' | 'column' | 'column?' | 'value' | 'pattern?' | 'topic?' | 'eventId' | 'sign';
const KINDS: Readonly<Record<Concept, Readonly<Record<string, Kind>>>> = {
  coupons: { table: 'table', id: 'column', total: 'column', issued: 'column', discount: 'column?' },
  holders: { tables: 'tables', id: 'column', userId: 'column', couponId: 'column', usedOrderId: 'column?' },
  products: { table: 'table', id: 'column', stock: 'column', price: 'column?' },
  users: { table: 'table', id: 'column', balance: 'column' },
  ledger: {
    table: 'table', id: 'column', userId: 'column', amount: 'column', amountSign: 'sign', balanceAfter: 'column', balanceBefore: 'column?', transactionId: 'column',
    orderId: 'column?', type: 'column?', paymentType: 'value', chargeType: 'value',
  },
  orders: {
    table: 'table', id: 'column', userId: 'column', status: 'column?', paidStatus: 'value', total: 'column', discount: 'column?', paid: 'column?',
    couponId: 'column?', idempotencyKey: 'column?',
  },
  orderItems: { table: 'table', id: 'column', orderId: 'column', productId: 'column', quantity: 'column', unitPrice: 'column?' },
  payments: { table: 'table', id: 'column', orderId: 'column', amount: 'column', transactionId: 'column?' },
  outbox: { table: 'table', id: 'column', sentAt: 'column', aggregateId: 'column?', aggregateType: 'column?', orderAggregate: 'value', type: 'column?' },
  kafka: { orderEvents: 'topic?', couponRequests: 'topic?', eventId: 'eventId' },
  redis: { issuedSet: 'pattern?', stock: 'pattern?', soldOut: 'pattern?' },
};

/** The keys of a concept that name columns of its table (checked against information_schema). */
export function columnKeys(concept: Concept): string[] {
  return Object.entries(KINDS[concept]).filter(([, kind]) => kind === 'column' || kind === 'column?').map(([key]) => key);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;
const TOPIC = /^[A-Za-z0-9._-]{1,200}$/;
const EVENT_ID = /^(header:[^\s]+|value:[A-Za-z0-9_$.]+)$/;

function fail(where: string, message: string): never {
  throw new ConfigError(`invalid schema at ${where}: ${message} — fix the \`schema\` of perf-lab.config.* (docs/your-own-system.md)`);
}

function checkValue(where: string, kind: Kind, v: unknown): unknown {
  if (kind === 'tables') {
    if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || !IDENTIFIER.test(t))) fail(where, 'expected a list of table names');
    return v;
  }
  if (v === null && kind.endsWith('?')) return null;
  if (typeof v !== 'string') fail(where, `expected ${kind.endsWith('?') ? 'a string, or null when the system has none' : 'a string'}, got ${JSON.stringify(v)}`);
  if ((kind === 'table' || kind === 'column' || kind === 'column?') && !IDENTIFIER.test(v)) fail(where, `expected a table or column name, got ${JSON.stringify(v)}`);
  if (kind === 'pattern?' && !v.includes('{coupon}')) fail(where, `a key pattern must hold {coupon}, got "${v}"`);
  if (kind === 'topic?' && !TOPIC.test(v)) fail(where, `expected a Kafka topic name, got "${v}"`);
  if (kind === 'eventId' && !EVENT_ID.test(v)) fail(where, `expected "header:<name>" or "value:<dotted.path>", got "${v}"`);
  if (kind === 'value' && v === '') fail(where, 'expected the value as stored, not ""');
  if (kind === 'sign' && v !== 'signed' && v !== 'positive') fail(where, `expected "signed" (payments negative) or "positive" (the type says which way), got "${v}"`);
  return v;
}

function concept<C extends Concept>(name: C, value: unknown): SchemaMap[C] {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail(`schema.${name}`, 'expected an object, or null when the system has no such thing');
  const kinds = KINDS[name];
  const base = REFERENCE_SCHEMA[name] as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(kinds)) out[key] = kind.endsWith('?') ? null : base[key];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const kind = kinds[key];
    if (!kind) fail(`schema.${name}.${key}`, `unknown key; known: ${Object.keys(kinds).join(', ')}`);
    out[key] = checkValue(`schema.${name}.${key}`, kind, v);
  }
  if (name === 'ledger' && out['amountSign'] === 'positive' && out['type'] === null) fail('schema.ledger.type', 'a ledger of positive amounts needs the type column that says which way each goes');
  return out as unknown as SchemaMap[C];
}

export function parseSchemaMap(value: unknown): SchemaMap {
  if (value === undefined) return REFERENCE_SCHEMA;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('schema', 'expected an object mapping concepts to tables and columns');
  const given = value as Record<string, unknown>;
  const extra = Object.keys(given).find((k) => !(CONCEPTS as readonly string[]).includes(k));
  if (extra !== undefined) fail(`schema.${extra}`, `unknown concept; known: ${CONCEPTS.join(', ')}`);
  const map: Record<string, unknown> = { reference: false };
  for (const name of CONCEPTS) {
    map[name] = name in given ? concept(name, given[name]) : ABSENT_UNLESS_DECLARED.has(name) ? null : REFERENCE_SCHEMA[name];
  }
  return map as unknown as SchemaMap;
}

/** A Redis key of the declared pattern for one coupon. */
export function couponKey(prefix: string, pattern: string, coupon: number | string): string {
  return `${prefix}${pattern.replace('{coupon}', String(coupon))}`;
}
