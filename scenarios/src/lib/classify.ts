import { BUSINESS_REASONS, valueAt, type BusinessReason, type OperationContract } from '@perf-lab/contract';

/**
 * Classifies every response, as the modelled system's tests did but stricter: a 2xx the
 * contract lists is a success; a refusal status carrying an error code the contract lists is a
 * business failure (by its code); everything else — 5xx, timeouts, connection errors, any status or code the
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

/** What classify needs of an operation's contract (api-contract.ts in @perf-lab/contract). */
export type Contract = Pick<OperationContract, 'success' | 'refusals'>;

/** The business reason an error code means under the contract, if it lists it. */
export function businessReason(contract: Contract, code: string): BusinessReason | undefined {
  for (const reason of BUSINESS_REASONS) if (contract.refusals.codes[reason]?.includes(code)) return reason;
  return undefined;
}

export function classify(contract: Contract, status: number, errorCode: string | undefined, transportError: string | undefined): Classification {
  if (status === 0) return { cls: 'system', reason: transportError || 'CONNECTION_ERROR', outcome: 'indeterminate' };
  if (contract.success.includes(status)) return { cls: 'success', reason: 'OK', outcome: 'ack' };
  if (contract.refusals.statuses.includes(status) && errorCode && businessReason(contract, errorCode) !== undefined) {
    return { cls: 'business', reason: errorCode, outcome: 'fail' };
  }
  if (status >= 500) return { cls: 'system', reason: `HTTP_${status}${errorCode ? `_${errorCode}` : ''}`, outcome: 'indeterminate' };
  // A 2xx other than the contract's, or a 4xx the contract does not allow: a system failure,
  // but the server still said what it did (4xx: nothing applied).
  return { cls: 'system', reason: `HTTP_${status}${errorCode ? `_${errorCode}` : ''}`, outcome: status < 300 ? 'ack' : 'fail' };
}

/** The error code at the contract's field (`error.code` on the reference server), if the body has one. */
export function errorCodeOf(body: unknown, field: string): string | undefined {
  if (typeof body !== 'string' || body.length === 0 || body[0] !== '{') return undefined;
  try {
    const code = valueAt(JSON.parse(body), field);
    return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  } catch {
    return undefined;
  }
}
