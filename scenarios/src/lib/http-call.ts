import http from 'k6/http';
import { check } from 'k6';
import { classify, errorCodeOf, type Classification, type Contract } from './classify.ts';
import { record } from './metrics.ts';
import { logOp, type OpFields } from './op-log.ts';

export interface CallResult {
  readonly classification: Classification;
  readonly status: number;
  readonly body: string;
  readonly durationMs: number;
}

/**
 * One request of the contract: sent (a blocking call, as in any k6 script), classified,
 * counted, and checked against the contract.
 */
export function call(
  contract: Contract, operation: string, method: 'GET' | 'POST', url: string, body: object | null,
  params: { timeout: string; headers?: Record<string, string>; name: string },
  /** The operation's log line: written in the same step as its count, so the two always agree. */
  log: { readonly enabled: boolean; fields(c: Classification, status: number, body: string): OpFields },
): CallResult {
  const res = http.request(method, url, body === null ? null : JSON.stringify(body), {
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
  // No await between counting and logging: an iteration stopped at the end of the test cannot
  // leave a counted operation without its line (the audit would call the log incomplete).
  // Every line carries the response's class and reason (what the progress line, the report and
  // an early abort group by) and its duration in ms, beside the operation's own fields.
  const common = { status: res.status, class: classification.cls, reason: classification.reason, ms: Math.round(res.timings.duration) };
  logOp(log.enabled, operation, classification.outcome, { ...common, ...log.fields(classification, res.status, text) });
  check(res, { [`${operation}: status allowed by the contract`]: () => classification.cls !== 'system' });
  return { classification, status: res.status, body: text, durationMs: res.timings.duration };
}
