import http from 'k6/http';
import { check } from 'k6';
import { fillBody, fillText, type JsonValue, type OperationContract, type TemplateValues } from '@perf-lab/contract';
import { classify, errorCodeOf, type Classification } from './classify.ts';
import type { ScenarioConfig } from './config.ts';
import { record } from './metrics.ts';
import { logOp, type OpFields } from './op-log.ts';

export interface CallResult {
  readonly classification: Classification;
  readonly status: number;
  readonly body: string;
  readonly durationMs: number;
}

/**
 * One request of the API contract: its path, headers and body filled with the operation's
 * values, sent (a blocking call, as in any k6 script), classified, counted, and checked
 * against the contract.
 */
export function call(
  config: ScenarioConfig, contract: OperationContract, operation: string, values: TemplateValues,
  /** Fields the operation adds to the declared body (an order's coupon). */
  extraBody: Readonly<Record<string, JsonValue>>,
  /** The operation's log line: written in the same step as its count, so the two always agree. */
  log: { fields(c: Classification, status: number, body: string): OpFields },
): CallResult {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [name, value] of Object.entries(contract.headers)) headers[name] = fillText(value, values);
  const body = { ...(fillBody(contract.body, values) as Record<string, JsonValue>), ...extraBody };
  const res = http.request(contract.method, `${config.baseUrl}${fillText(contract.path, values)}`, JSON.stringify(body), {
    headers,
    timeout: config.requestTimeout,
    // The declared path (placeholders kept) names the request: one series per endpoint, not per id.
    tags: { name: `${contract.method} ${contract.path}`, operation },
    // The contract's business failures are expected responses: http_req_failed counts only
    // the rest, so it stays comparable to the system-failure rate.
    responseCallback: http.expectedStatuses(...contract.success, ...contract.refusals.statuses),
  });
  const text = typeof res.body === 'string' ? res.body : '';
  const code = errorCodeOf(text, config.api.errorCodeField);
  const classification = classify(contract, res.status, code, res.error_code ? `ERROR_${res.error_code}` : res.error);
  record(classification, res.timings.duration, operation);
  // No await between counting and logging: an iteration stopped at the end of the test cannot
  // leave a counted operation without its line (the audit would call the log incomplete).
  // Every line carries the response's class and reason (what the progress line, the report and
  // an early abort group by) and its duration in ms, beside the operation's own fields.
  const common = { status: res.status, class: classification.cls, reason: classification.reason, ms: Math.round(res.timings.duration) };
  logOp(config.opsLog, operation, classification.outcome, { ...log.fields(classification, res.status, text), ...common });
  check(res, { [`${operation}: status allowed by the contract`]: () => classification.cls !== 'system' });
  return { classification, status: res.status, body: text, durationMs: res.timings.duration };
}
