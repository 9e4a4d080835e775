import { toErrorReply } from '../errors.ts';
import type { ErrorBody } from '../errors.ts';

/**
 * The order system's error codes and their HTTP statuses, in one table, shaped like the
 * app's ERRORS so the two can be merged. 409: the request was fine but the state it met
 * (stock, balance, a lock, a used coupon) refused it — retrying later may work. 422: the
 * request can never succeed as sent. Nothing a client sends maps to a 500.
 */
export const ORDER_ERRORS = {
  USER_NOT_FOUND: { status: 404, message: 'no user with this id' },
  PRODUCT_NOT_FOUND: { status: 422, message: 'the order names a product that does not exist' },
  ORDER_NOT_FOUND: { status: 404, message: 'no order with this id' },
  EMPTY_ORDER: { status: 422, message: 'the order has no items' },
  INSUFFICIENT_STOCK: { status: 409, message: 'a product does not have enough stock' },
  INSUFFICIENT_BALANCE: { status: 409, message: 'the balance does not cover the order' },
  COUPON_NOT_OWNED: { status: 422, message: 'the user does not hold this coupon' },
  COUPON_ALREADY_USED: { status: 409, message: 'the coupon has already been used' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'this Idempotency-Key was already used for a different request' },
  LOCK_TIMEOUT: { status: 409, message: 'another order of this user is in progress; retry shortly' },
  LOCK_LOST: { status: 409, message: 'the order lock expired before the order committed; nothing was charged, retry' },
  ORDER_CONTENTION: { status: 409, message: 'the database kept aborting this order under contention; nothing was charged, retry' },
} as const satisfies Record<string, { status: number; message: string }>;

export type OrderErrorCode = keyof typeof ORDER_ERRORS;

/** Same shape as the app's AppError (code, statusCode, message, cause), with the order codes. */
export class OrderError extends Error {
  override readonly name: string = 'OrderError';
  readonly statusCode: number;

  constructor(
    readonly code: OrderErrorCode,
    message: string = ORDER_ERRORS[code].message,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = ORDER_ERRORS[code].status;
  }
}

export interface OrderErrorBody {
  error: { code: OrderErrorCode; message: string };
}

/**
 * Our codes first, everything else (validation, bad JSON, infrastructure) through the app's
 * table, so the order routes answer exactly like the rest of the server.
 */
export function toOrderErrorReply(err: unknown): { statusCode: number; body: OrderErrorBody | ErrorBody } {
  if (err instanceof OrderError) {
    return { statusCode: err.statusCode, body: { error: { code: err.code, message: err.message } } };
  }
  return toErrorReply(err);
}
