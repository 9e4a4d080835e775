/**
 * A test in which HTTP requests were made and none succeeded is almost always a broken target
 * (wrong port, server down) rather than a result. k6 exits 0 for it unless a threshold says
 * otherwise; the engine says so once, at the end, and exits 110 (marked as failed), because a
 * tool that verifies others must not pass a run that reached nothing.
 */
import type { SummaryData } from '../summary/summary-data.ts';

export function noRequestSucceeded(data: SummaryData): string | undefined {
  const reqs = data.metrics.http_reqs?.values.count ?? 0;
  const failed = data.metrics.http_req_failed?.values;
  if (reqs === 0 || !failed || (failed.fails ?? 0) > 0) return undefined;
  return `no HTTP request succeeded: all ${reqs} requests failed (http_req_failed is 100 %) — is the target up and the URL right?`;
}
