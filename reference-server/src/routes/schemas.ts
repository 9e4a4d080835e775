/**
 * The routes' JSON schemas: whatever fails them is a 400 before a handler runs, so no
 * malformed input ever reaches SQL. Ids arrive in the path as strings and ajv type coercion is off (so a
 * body's `"userId": "5"` is rejected rather than silently accepted), hence the pattern:
 * 1..15 digits, no leading zero, always below Number.MAX_SAFE_INTEGER and BIGINT's range.
 */
export const idParam = { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } as const;

export const idBody = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export const errorResponse = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

export function toId(param: string): number {
  return Number(param);
}

// Order, cart and balance bodies: bounds keep every amount exact (well under 2^53).
const id = idBody;
const quantity = { type: 'integer', minimum: 1, maximum: 1000 } as const;

export const userParams = {
  type: 'object',
  required: ['userId'],
  properties: { userId: idParam },
} as const;

export const orderParams = {
  type: 'object',
  required: ['orderId'],
  properties: { orderId: idParam },
} as const;

/** Stripe-style: a client-chosen token; 64 characters is ample for a UUID or a hash. */
export const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const cartItemBody = {
  type: 'object',
  required: ['productId', 'quantity'],
  additionalProperties: false,
  properties: { productId: id, quantity },
} as const;

export const chargeBody = {
  type: 'object',
  required: ['amount'],
  additionalProperties: false,
  // A trillion units per charge: large enough for any test, far from overflowing BIGINT.
  properties: { amount: { type: 'integer', minimum: 1, maximum: 1_000_000_000_000 } },
} as const;

export const orderBody = {
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: id,
    // An empty list passes the schema on purpose: it is a business refusal (422 EMPTY_ORDER).
    items: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['productId', 'quantity'],
        additionalProperties: false,
        properties: { productId: id, quantity },
      },
    },
    fromCart: { type: 'boolean' },
    couponId: { anyOf: [id, { type: 'null' }] },
  },
} as const;

export const listOrdersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // 1..100 as a string (no coercion): 1–99 or exactly 100.
    limit: { type: 'string', pattern: '^([1-9][0-9]?|100)$' },
    before: idParam,
  },
} as const;

export interface UserParams {
  userId: string;
}
export interface OrderParams {
  orderId: string;
}
export interface IdempotencyHeaders {
  'idempotency-key'?: string;
}
export interface CartItemBody {
  productId: number;
  quantity: number;
}
export interface ChargeBody {
  amount: number;
}
export interface OrderBody {
  userId: number;
  items?: { productId: number; quantity: number }[];
  fromCart?: boolean;
  couponId?: number | null;
}
export interface ListOrdersQuery {
  limit?: string;
  before?: string;
}
