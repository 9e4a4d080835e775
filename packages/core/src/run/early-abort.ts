import { formatCauses } from './k6-error-names.ts';
import { classTotal, type OutcomeCounts } from './outcome-tally.ts';

/**
 * When a run whose every response so far is a system failure stops instead of running its
 * full duration: after `seconds` of load and at least `minFailures` failures, or at once after
 * `failures` of them (a refusing target fails thousands a second) — with not one success or
 * business answer. A target that answers at all (even only 409s) never trips it.
 */
export interface EarlyAbortRule {
  readonly seconds: number;
  readonly minFailures: number;
  readonly failures: number;
}

export const DEFAULT_EARLY_ABORT: EarlyAbortRule = { seconds: 10, minFailures: 10, failures: 1000 };

/** The reason to stop now, or undefined to go on. */
export function earlyAbortReason(totals: OutcomeCounts, elapsedSeconds: number, rule: EarlyAbortRule): string | undefined {
  const failures = classTotal(totals, 'system');
  if ((elapsedSeconds < rule.seconds || failures < rule.minFailures) && failures < rule.failures) return undefined;
  if (classTotal(totals, 'success') + classTotal(totals, 'business') > 0) return undefined;
  return `stopped after ${Math.round(elapsedSeconds)} s: all ${failures} requests failed with system errors and none was answered ` +
    `(${formatCauses(totals.system)})`;
}
