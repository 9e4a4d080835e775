/**
 * Every error a client can see, with its HTTP status, in one table. Handlers throw
 * `new AppError(code)`; the one error handler in app.ts turns anything into
 * `{ error: { code, message } }`. Below 500 the message is ours or fastify's own (safe to
 * show); at 500+ the body is generic so a MySQL/Redis error text never reaches a client.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'the request does not match the schema' },
  INVALID_JSON: { status: 400, message: 'the body is not valid JSON' },
  // 400 rather than 415/413: the API contract promises 400 for every malformed request.
  INVALID_CONTENT_TYPE: { status: 400, message: 'send the body as application/json in UTF-8' },
  BODY_TOO_LARGE: { status: 400, message: 'the body is larger than this endpoint accepts' },
  BAD_REQUEST: { status: 400, message: 'the request is malformed' },
  // Refused by Node's HTTP parser before any route runs (client-error.ts), with its statuses.
  REQUEST_TIMEOUT: { status: 408, message: 'the request did not arrive in time' },
  HEADERS_TOO_LARGE: { status: 431, message: 'the request line and headers are too large' },
  EXPECTATION_FAILED: { status: 417, message: 'the only Expect this server meets is 100-continue' },
  ROUTE_NOT_FOUND: { status: 404, message: 'no such endpoint' },
  COUPON_NOT_FOUND: { status: 404, message: 'no coupon with this id' },
  ISSUE_NOT_FOUND: { status: 404, message: 'this user has not asked for this coupon' },
  COUPON_ALREADY_ISSUED: { status: 409, message: 'this user already holds or has requested this coupon' },
  COUPON_SOLD_OUT: { status: 409, message: 'the coupon is sold out' },
  // Order/payment. 409: the request was fine but the state it met (stock, balance, a lock, a
  // used coupon) refused it — retrying later may work. 422: it can never succeed as sent.
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
  INTERNAL_ERROR: { status: 500, message: 'internal error' },
  // Honest about the unknown: a send that timed out may still land. Retrying is safe: the
  // retry re-sends the same pending request, and one user gets a coupon at most once.
  KAFKA_UNAVAILABLE: {
    status: 503,
    message: 'the request was not confirmed durable in time; it may still be issued — retrying is safe',
  },
  DEPENDENCY_UNAVAILABLE: { status: 503, message: 'a backing service is unreachable; retry later' },
  UNSUPPORTED_CONTENT_ENCODING: { status: 400, message: 'the body must not be compressed (no Content-Encoding)' },
  DUPLICATE_JSON_KEY: { status: 400, message: 'the body names the same key twice' },
  AMOUNT_OUT_OF_RANGE: { status: 400, message: 'the amount would take a balance or total past 2^53 - 1, the largest exact integer' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = ERRORS[code].status;
  }
}

/** Fastify's own request errors, mapped onto our table. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'INVALID_CONTENT_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  // Raised by the router, before the route's own error handling: reach us via frameworkErrors.
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'BAD_REQUEST',
};

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  message?: unknown;
}

export function toErrorReply(err: unknown): { statusCode: number; body: ErrorBody } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  if (err instanceof AppError) return reply(err.code, err.message);
  if (e.validation !== undefined) return reply('VALIDATION_FAILED', String(e.message));
  const mapped = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return reply(mapped);
  // SyntaxError from the JSON parser and other framework-level 4xx: the input was bad.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return reply('BAD_REQUEST');
  if (isUnavailable(err)) return reply('DEPENDENCY_UNAVAILABLE');
  return reply('INTERNAL_ERROR');
}

/** Socket-level failures of a client library: the service is down or cut off, a 503 like any other. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN',
]);
// ioredis says so in messages and class names rather than codes.
const UNAVAILABLE_MESSAGES = /^(Connection is closed|Command timed out|Stream isn't writeable|Reached the max retries per request limit)/;

function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function reply(code: ErrorCode, message: string = ERRORS[code].message): { statusCode: number; body: ErrorBody } {
  return { statusCode: ERRORS[code].status, body: { error: { code, message } } };
}
