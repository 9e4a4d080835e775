import { ServiceError, errorMessage } from '../errors.ts';
import type { DrainState } from './drain.ts';
import type { AuditContext, CheckResult, Invariant, InvariantResult } from './invariant.ts';

export type Verdict = 'ok' | 'violated' | 'unknown';

/**
 * Runs one invariant and decides what its findings are worth. Violations the evidence cannot
 * support — found while the pipeline still held messages that explain them, or by a check
 * that needs every log line when lines are missing — are indeterminate, not violations. A
 * service that failed or fell silent leaves the invariant unchecked; any other error is a bug
 * and propagates.
 */
export interface EvidenceState {
  readonly logComplete: boolean;
  /** Requests the run may have sent without logging them: cut off by an abort or a graceful stop (see run-evidence.ts). */
  readonly unloggedInFlight: number;
}

export async function judge(inv: Invariant, ctx: AuditContext, evidence: EvidenceState): Promise<InvariantResult> {
  const started = performance.now();
  let found: CheckResult;
  try {
    found = await inv.check(ctx);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    const head = { name: inv.name, meaning: inv.meaning, ms: Math.round(performance.now() - started) };
    return { ...head, status: 'unchecked', ok: false, violations: 0, examples: [], undecided: errorMessage(err) };
  }
  const head = { name: inv.name, meaning: inv.meaning, ms: Math.round(performance.now() - started) };
  if (found.skipped) return { ...head, ...found, status: 'not-applicable' };
  // Nothing violated, but nothing to judge by either: evidence that decides nothing is unknown, never ok.
  if (found.undecided && found.violations === 0) return { ...head, ...found, ok: false, status: 'indeterminate' };
  if (found.ok) return { ...head, ...found, status: 'ok' };
  const undecided = !evidence.logComplete && inv.needsCompleteLog
    ? 'the operations log is incomplete: a missing line could be the request behind each of these'
    : inv.needsCompleteLog && found.violations <= evidence.unloggedInFlight
      ? `up to ${evidence.unloggedInFlight} request(s) were in flight, never logged, when the run cut their VUs off (an abort, or the end of gracefulStop/gracefulRampDown): each of these could be one`
      : !ctx.drain.drained && inv.explainedByUndrained?.(found, ctx.drain)
      ? `the pipeline has not drained (${drainText(ctx.drain)}): what it still holds could explain these`
      : undefined;
  return undecided ? { ...head, ...found, status: 'indeterminate', undecided } : { ...head, ...found, status: 'violated' };
}

export function drainText(drain: DrainState): string {
  return `Kafka lag ${drain.kafkaLag}, outbox pending ${drain.outboxPending}`;
}

/** Violated beats unknown: a violation the undecided evidence cannot explain is still one. */
export function overallVerdict(results: readonly InvariantResult[], reasons: readonly string[]): Verdict {
  if (results.some((r) => r.status === 'violated')) return 'violated';
  return reasons.length > 0 || results.some((r) => r.status === 'indeterminate' || r.status === 'unchecked') ? 'unknown' : 'ok';
}
