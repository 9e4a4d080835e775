/**
 * The HTTP API the bundled scenarios speak, as data: a user whose coupon and order services
 * use other paths, id shapes, bodies, headers or refusal codes declares them (the `api` key of
 * perf-lab.config.*), and the same k6 scripts load that system. The reference server's API is
 * the default declaration. Dependency-free: the k6 bundles parse it too (api-contract-parse.ts).
 *
 * Templates: `{user}`, `{coupon}`, `{key}` in a path, header or body value are replaced by the
 * operation's values. A body value that is exactly one placeholder takes the id's type — a
 * number when the id format is `{n}`, a string (`test-user-42`) otherwise.
 */
export const BUSINESS_REASONS = ['soldOut', 'duplicate', 'insufficientBalance', 'insufficientStock', 'lockTimeout', 'other'] as const;
export type BusinessReason = (typeof BUSINESS_REASONS)[number];

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface IdFormats {
  /** How a seeded user's id is written, `{n}` standing for its number: `{n}`, `test-user-{n}`. */
  readonly user: string;
  readonly coupon: string;
  /** Product ids as the audit finds them in the system's tables (the scenarios name products only in a declared body). */
  readonly product: string;
}

export interface Refusals {
  /** The statuses a business refusal answers with (409, 422; 400 on many systems). */
  readonly statuses: readonly number[];
  /** Error codes by what they mean; a refusal status with a code not listed is a system failure. */
  readonly codes: Readonly<Partial<Record<BusinessReason, readonly string[]>>>;
}

export interface OperationContract {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly [key: string]: JsonValue };
  /** 2xx statuses that acknowledge the operation (202 for an asynchronous one). */
  readonly success: readonly number[];
  readonly refusals: Refusals;
}

export interface OrderContract extends OperationContract {
  /** Body field the chosen coupon goes in, added only when the order uses one. */
  readonly couponField: string;
  /** Dotted path of the created order's id in a success body (`orderId`, `data.id`). */
  readonly orderIdField: string;
  /** Dotted path of the amount paid in a success body; empty when the system does not return it. */
  readonly paidAmountField: string;
}

export interface CouponListContract {
  /** GET path of a user's coupons. */
  readonly path: string;
  /** Dotted path of the list in the body; empty when the body is the list. */
  readonly listField: string;
  readonly couponIdField: string;
  /** Field that is null/absent while the coupon is unused. */
  readonly usedField: string;
}

export interface ApiContract {
  readonly ids: IdFormats;
  /** Dotted path of the error code in a refusal body (`error.code`, `code`, `errorCode`). */
  readonly errorCodeField: string;
  readonly couponIssue: OperationContract;
  readonly orderCreate: OrderContract;
  readonly couponList: CouponListContract;
}

/** The reference server's API: the default declaration. */
export const REFERENCE_API: ApiContract = {
  ids: { user: '{n}', coupon: '{n}', product: '{n}' },
  errorCodeField: 'error.code',
  couponIssue: {
    method: 'POST',
    path: '/api/coupons/{coupon}/issue',
    headers: {},
    body: { userId: '{user}' },
    success: [202, 201, 200],
    refusals: { statuses: [409], codes: { soldOut: ['COUPON_SOLD_OUT'], duplicate: ['COUPON_ALREADY_ISSUED'] } },
  },
  orderCreate: {
    method: 'POST',
    path: '/api/orders',
    headers: { 'Idempotency-Key': '{key}' },
    body: { userId: '{user}', fromCart: true },
    couponField: 'couponId',
    orderIdField: 'orderId',
    paidAmountField: 'paidAmount',
    success: [201, 200],
    refusals: {
      statuses: [409, 422],
      codes: {
        insufficientStock: ['INSUFFICIENT_STOCK'],
        insufficientBalance: ['INSUFFICIENT_BALANCE'],
        // "Try again" answers: the per-user lock was busy or lost, or the database kept deadlocking.
        lockTimeout: ['LOCK_TIMEOUT', 'LOCK_LOST', 'ORDER_CONTENTION'],
        other: ['COUPON_NOT_OWNED', 'COUPON_ALREADY_USED', 'EMPTY_ORDER'],
      },
    },
  },
  couponList: { path: '/api/users/{user}/coupons', listField: 'coupons', couponIdField: 'couponId', usedField: 'usedOrderId' },
};

/** `test-user-{n}` with n = 42 → `test-user-42`; `{n}` → the number itself. */
export function formatId(format: string, n: number): string | number {
  return format === '{n}' ? n : format.replace('{n}', String(n));
}

/** The values a template's placeholders stand for. */
export type TemplateValues = Readonly<Partial<Record<'user' | 'coupon' | 'key', string | number>>>;

export function fillText(template: string, values: TemplateValues): string {
  return template.replace(/\{(user|coupon|key)\}/g, (_m, name: keyof TemplateValues) => String(values[name] ?? ''));
}

/** A body with its placeholders filled: an exact placeholder keeps its value's type. */
export function fillBody(body: JsonValue, values: TemplateValues): JsonValue {
  if (typeof body === 'string') {
    const exact = /^\{(user|coupon|key)\}$/.exec(body);
    if (exact) return values[exact[1] as keyof TemplateValues] ?? null;
    return fillText(body, values);
  }
  if (Array.isArray(body)) return body.map((v: JsonValue) => fillBody(v, values));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillBody(v as JsonValue, values)]));
  }
  return body;
}

/** The value at a dotted path (`error.code`), or undefined; an empty path is the value itself. */
export function valueAt(value: unknown, dotted: string): unknown {
  if (dotted === '') return value;
  let at = value;
  for (const part of dotted.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/**
 * How the system stores an operation's `{key}`: the first header or body value that holds it
 * (`tx-{key}` stores `tx-<key>`), so the audit can find the request's row by it; `{key}` when
 * the contract sends the key as is, or not at all.
 */
export function keyTemplate(op: Pick<OperationContract, 'headers' | 'body'>): string {
  const find = (value: JsonValue): string | undefined => {
    if (typeof value === 'string') return value.includes('{key}') ? value : undefined;
    if (Array.isArray(value)) return value.map((v: JsonValue) => find(v)).find((v) => v !== undefined);
    if (value !== null && typeof value === 'object') return Object.values(value).map((v) => find(v as JsonValue)).find((v) => v !== undefined);
    return undefined;
  };
  return Object.values(op.headers).find((h) => h.includes('{key}')) ?? find(op.body) ?? '{key}';
}
