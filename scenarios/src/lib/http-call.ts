import http from 'k6/http';
import { check } from 'k6';
import { classify, errorCodeOf, type Classification, type Contract } from './classify.ts';
import { record } from './metrics.ts';

export interface CallResult {
  readonly classification: Classification;
  readonly status: number;
  readonly body: string;
  readonly durationMs: number;
}

/**
 * The operation-log fields every call shares: the response's class and reason (what the
 * progress line, the report and an early abort group by) and its duration in ms.
 */
export function callFields(r: CallResult): Record<string, string | number> {
  return { status: r.status, class: r.classification.cls, reason: r.classification.reason, ms: Math.round(r.durationMs) };
}

/**
 * One request of the contract: sent with http.asyncRequest (the embedded engine has no
 * blocking HTTP), classified, counted, and checked against the contract.
 */
export async function call(
  contract: Contract, operation: string, method: 'GET' | 'POST', url: string, body: object | null,
  params: { timeout: string; headers?: Record<string, string>; name: string },
): Promise<CallResult> {
  const res = await http.asyncRequest(method, url, body === null ? null : JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json', ...params.headers },
    timeout: params.timeout,
    tags: { name: params.name, operation },
    // The contract's business failures are expected responses: http_req_failed counts only
    // the rest, so it stays comparable to the system-failure rate.
    responseCallback: http.expectedStatuses(...contract.successStatuses, ...contract.businessStatuses),
  });
  const text = typeof res.body === 'string' ? res.body : '';
  const classification = classify(contract, res.status, errorCodeOf(text), res.error_code ? `ERROR_${res.error_code}` : res.error);
  record(classification, res.timings.duration, operation);
  check(res, { [`${operation}: status allowed by the contract`]: () => classification.cls !== 'system' });
  return { classification, status: res.status, body: text, durationMs: res.timings.duration };
}
