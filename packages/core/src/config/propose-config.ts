import { LEDGER_TYPES, ORDER_AGGREGATE, ORDER_PAID_STATUS } from '@perf-lab/contract';
import type { PerfLabConfig } from './config.ts';
import type { Columns } from '../db/read-columns.ts';

/**
 * `perf-lab init`: a starting perf-lab.config.mjs proposed from the user's MySQL schema. Each
 * concept is matched to the table whose name and columns look most like it (a guess the file
 * says is one); what nothing matches is written as null, i.e. "not there", so the audit skips it
 * until the user maps it. The API section is the reference server's, commented, to edit.
 */
interface ConceptRule {
  readonly tables: RegExp;
  /** Tables that match `tables` but are another concept's (`order_items` is no product table). */
  readonly exclude?: RegExp;
  /** Concept key → column name patterns, best first; `table` is filled with the table found. */
  readonly columns: Readonly<Record<string, readonly RegExp[]>>;
  /** Columns a system may well not have: null when not found, without a TODO. */
  readonly optional?: readonly string[];
  /** Values compared in SQL, proposed as the reference server's once the column holding them is found. */
  readonly values?: { readonly column: string; readonly proposed: Readonly<Record<string, string>> };
}

const ID = [/^id$/, /^seq$/, /_id$/];
const USER = [/^(user|member|buyer|customer|account)(_?id)?$/];
const RULES: Readonly<Record<string, ConceptRule>> = {
  coupons: {
    tables: /coupon|promo/, exclude: /claim|holder|issue|user|member|reject/,
    columns: { id: ID, total: [/^total/, /quantity|stock|limit/], issued: [/issued|claimed|used_count/], discount: [/discount/] }, optional: ['discount'],
  },
  holders: {
    tables: /(user|member)_?coupons?|coupon_?(claim|holder|issue)|promo_?claim/, exclude: /reject/,
    columns: { id: [/^id$/, /^seq$/], userId: [/^(user|member)_?id$/], couponId: [/^(coupon|promo)(_?(id|code))?$/], usedOrderId: [/used_?order|spent_?on/] },
    optional: ['usedOrderId'],
  },
  products: {
    tables: /product|goods|item(s)?$/, exclude: /order|purchase|cart|line/,
    columns: { id: ID, stock: [/quantity|stock|on_?hand/], price: [/price|cost/] }, optional: ['price'],
  },
  users: { tables: /^(users?|members?|accounts?|customers?)$/, columns: { id: ID, balance: [/balance|points|credit/] } },
  ledger: {
    tables: /balance_?hist|ledger|wallet_?(hist|log)|point_?hist/,
    columns: {
      id: [/^id$/, /^seq$/, /hist_?id/], userId: [...USER, /^(user|member|account)/], amount: [/^amount$|^delta$|change/],
      balanceAfter: [/after/], balanceBefore: [/before/], transactionId: [/trans|tx/], orderId: [/order/], type: [/^type$|kind/],
    },
    optional: ['balanceBefore', 'orderId', 'type'],
    values: { column: 'type', proposed: { paymentType: LEDGER_TYPES.payment, chargeType: LEDGER_TYPES.charge } },
  },
  orders: {
    tables: /^(orders?|purchases?|order_?headers?)$/,
    columns: {
      id: ID, userId: USER, status: [/status|state/], total: [/total|gross/, /amount/], discount: [/discount|_off$/], paid: [/paid|net/],
      couponId: [/coupon|promo/], idempotencyKey: [/idempot|tx|trans|request_?(id|key)/],
    },
    optional: ['status', 'discount', 'paid', 'couponId', 'idempotencyKey'],
    values: { column: 'status', proposed: { paidStatus: ORDER_PAID_STATUS } },
  },
  orderItems: {
    tables: /order_?items?|order_?lines?|purchase_?lines?|line_?items?/,
    columns: { id: [/^id$/, /^seq$/, /line_?(no|id)/], orderId: [/order/], productId: [/product|sku|goods/], quantity: [/qty|quantity/], unitPrice: [/price|cost/] },
    optional: ['unitPrice'],
  },
  payments: {
    tables: /payments?|settlements?/, columns: { id: ID, orderId: [/order/], amount: [/amount|charged|paid/], transactionId: [/trans|tx/] },
    optional: ['transactionId'],
  },
  outbox: {
    tables: /outbox/,
    columns: { id: [/^id$/, /event_?id/, /^seq$/], sentAt: [/sent|published|relayed/], aggregateId: [/aggregate_?(id|ref)/], aggregateType: [/aggregate_?type/], type: [/^type$|event_?(type|name)/] },
    optional: ['aggregateId', 'aggregateType', 'type'],
    values: { column: 'aggregateType', proposed: { orderAggregate: ORDER_AGGREGATE } },
  },
};

export interface Proposal {
  readonly schema: Readonly<Record<string, Readonly<Record<string, string | null>> | null>>;
  /** Per concept, what could not be matched: the file says so next to it. */
  readonly unsure: Readonly<Record<string, readonly string[]>>;
}

function pick(columns: readonly string[], patterns: readonly RegExp[]): string | null {
  for (const p of patterns) {
    const found = columns.find((c) => p.test(c.toLowerCase()));
    if (found) return found;
  }
  return null;
}

export function proposeSchema(columns: Columns): Proposal {
  const schema: Record<string, Record<string, string | null> | null> = {};
  const unsure: Record<string, string[]> = {};
  for (const [concept, rule] of Object.entries(RULES)) {
    // The candidate table whose columns match the most keys.
    let best: { table: string; mapped: Record<string, string | null>; score: number } | undefined;
    for (const [table, cols] of columns) {
      if (!rule.tables.test(table.toLowerCase()) || rule.exclude?.test(table.toLowerCase())) continue;
      const mapped = Object.fromEntries(Object.entries(rule.columns).map(([key, patterns]) => [key, pick(cols, patterns)]));
      // A table's first column is most often its key.
      if (mapped['id'] === null) mapped['id'] = cols[0] ?? null;
      const score = Object.values(mapped).filter((v) => v !== null).length;
      if (!best || score > best.score) best = { table, mapped, score };
    }
    if (!best) {
      schema[concept] = null;
      continue;
    }
    const missing = Object.entries(best.mapped).filter(([key, v]) => v === null && !rule.optional?.includes(key)).map(([key]) => key);
    const values = rule.values && best.mapped[rule.values.column] !== null ? rule.values.proposed : {};
    if (Object.keys(values).length > 0) missing.push(`the values ${Object.entries(values).map(([k, v]) => `${k} (${v}?)`).join(', ')}`);
    if (missing.length > 0) unsure[concept] = missing;
    schema[concept] = concept === 'holders'
      ? { tables: best.table, ...best.mapped }
      : { table: best.table, ...best.mapped, ...values };
  }
  return { schema, unsure };
}

function entry(concept: string, value: Readonly<Record<string, string | null>> | null, unsure: readonly string[] | undefined): string {
  if (value === null) return `    ${concept}: null, // no table looks like it: map it, or leave null to skip its invariants\n`;
  const fields = Object.entries(value).map(([k, v]) => (k === 'tables' ? `${k}: [${JSON.stringify(v)}]` : `${k}: ${JSON.stringify(v)}`));
  const note = unsure && unsure.length > 0 ? ` // TODO: check ${unsure.join(', ')}` : ' // proposed: check it';
  return `    ${concept}: { ${fields.join(', ')} },${note}\n`;
}

export function renderConfig(proposal: Proposal, config: Pick<PerfLabConfig, 'targetUrl' | 'mysql'>): string {
  return `// perf-lab.config.mjs — written by \`perf-lab init\` from database ${config.mysql.database}.
// Every key is explained in docs/your-own-system.md; perf-lab run/audit refuse (exit 2) a
// declaration that does not fit the database, naming the exact place.
export default {
  targetUrl: ${JSON.stringify(config.targetUrl)},
  mysqlUrl: ${JSON.stringify(`mysql://${config.mysql.user}@${config.mysql.host}:${config.mysql.port}/${config.mysql.database}`)}, // add the password
  manage: [], // your services: perf-lab starts none of them

  // The API the bundled scenarios speak; left out, it is the reference server's. Declare what differs:
  // api: {
  //   ids: { user: 'test-user-{n}', coupon: 'test-coupon-{n}' },
  //   errorCodeField: 'error.code',
  //   couponIssue: { path: '/api/coupons/{coupon}/issue', body: { userId: '{user}' }, success: [202, 201, 200],
  //     refusals: { statuses: [409], codes: { soldOut: ['COUPON_SOLD_OUT'], duplicate: ['COUPON_ALREADY_ISSUED'] } } },
  //   orderCreate: { path: '/api/orders', headers: { 'Idempotency-Key': '{key}' }, body: { userId: '{user}', fromCart: true },
  //     orderIdField: 'orderId', success: [201, 200], refusals: { statuses: [409, 422], codes: { insufficientStock: ['INSUFFICIENT_STOCK'] } } },
  // },

  // Where the audit's concepts live, proposed from information_schema by table and column names.
  schema: {
${Object.entries(proposal.schema).map(([concept, value]) => entry(concept, value, proposal.unsure[concept])).join('')}    kafka: null, // the outbox's topic and where a message carries the event id, e.g. { orderEvents: 'shop.orders', eventId: 'header:event-id' }
    redis: null, // your key patterns with {coupon}, e.g. { issuedSet: 'fcfs:{coupon}:members', stock: null, soldOut: null }
  },

  // Your own invariants: SQL returning the rows that violate them.
  invariants: [
    // { name: 'balance.not-negative', meaning: 'no balance is negative', sql: 'SELECT id, balance FROM users WHERE balance < 0' },
  ],
};
`;
}
