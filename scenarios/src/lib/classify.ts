/**
 * Classifies every response, as the modelled system's tests did but stricter: a 2xx is a
 * success; a 4xx carrying an error code the contract allows is a business failure (by
 * reason); everything else — 5xx, timeouts, connection errors, any status or code the
 * contract does not allow — is a system failure.
 * The Jepsen outcome says what the audit may expect: an acknowledged operation must be
 * persisted, a definite failure must not be, an indeterminate one may go either way.
 */
export type ResponseClass = 'success' | 'business' | 'system';
export type Outcome = 'ack' | 'fail' | 'indeterminate';

export interface Classification {
  readonly cls: ResponseClass;
  readonly reason: string;
  readonly outcome: Outcome;
}

export interface Contract {
  /** A synchronous implementation answers 200/201, an asynchronous one 202: all acknowledge. */
  readonly successStatuses: readonly number[];
  readonly businessStatuses: readonly number[];
  readonly businessCodes: readonly string[];
}

export const COUPON_CONTRACT: Contract = {
  successStatuses: [202, 201, 200],
  businessStatuses: [409],
  businessCodes: ['COUPON_ALREADY_ISSUED', 'COUPON_SOLD_OUT'],
};

export const ORDER_CONTRACT: Contract = {
  successStatuses: [201, 200],
  businessStatuses: [409, 422],
  businessCodes: [
    'INSUFFICIENT_STOCK', 'INSUFFICIENT_BALANCE', 'COUPON_NOT_OWNED', 'COUPON_ALREADY_USED', 'EMPTY_ORDER',
    // "Try again" answers: the per-user lock was busy or lost, or the database kept deadlocking.
    'LOCK_TIMEOUT', 'LOCK_LOST', 'ORDER_CONTENTION',
  ],
};

export function classify(contract: Contract, status: number, errorCode: string | undefined, transportError: string | undefined): Classification {
  if (status === 0) return { cls: 'system', reason: transportError || 'CONNECTION_ERROR', outcome: 'indeterminate' };
  if (contract.successStatuses.includes(status)) return { cls: 'success', reason: 'OK', outcome: 'ack' };
  if (contract.businessStatuses.includes(status) && errorCode && contract.businessCodes.includes(errorCode)) {
    return { cls: 'business', reason: errorCode, outcome: 'fail' };
  }
  if (status >= 500) return { cls: 'system', reason: `HTTP_${status}${errorCode ? `_${errorCode}` : ''}`, outcome: 'indeterminate' };
  // A 2xx other than the contract's, or a 4xx the contract does not allow: a system failure,
  // but the server still said what it did (4xx: nothing applied).
  return { cls: 'system', reason: `HTTP_${status}${errorCode ? `_${errorCode}` : ''}`, outcome: status < 300 ? 'ack' : 'fail' };
}

/** The error code of a `{ "error": { "code" } }` body, if the body is one. */
export function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'string' || body.length === 0 || body[0] !== '{') return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
