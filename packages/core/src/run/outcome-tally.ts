import type { OpRecord } from './op-line.ts';

/** How a response counted: the scenarios' classes (success, business failure, system failure). */
export const OUTCOME_CLASSES = ['success', 'business', 'system'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** Responses by class, then by reason: { success: { OK: 40 }, business: { COUPON_SOLD_OUT: 200 }, system: {} }. */
export type OutcomeCounts = Readonly<Record<OutcomeClass, Readonly<Record<string, number>>>>;

/** What one second of the run adds to its time-series point. */
export interface SecondOutcomes {
  readonly outcomes: OutcomeCounts;
  /** Percentiles of the second's successful responses, ms; null when none succeeded. */
  readonly successMs: { readonly p50: number; readonly p95: number; readonly p99: number } | null;
}

/** a + b, reason by reason. */
export function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  const sum = emptyCounts();
  for (const cls of OUTCOME_CLASSES) {
    for (const counts of [a[cls], b[cls]]) for (const [reason, n] of Object.entries(counts)) sum[cls][reason] = (sum[cls][reason] ?? 0) + n;
  }
  return sum;
}

export function emptyCounts(): Record<OutcomeClass, Record<string, number>> {
  return { success: {}, business: {}, system: {} };
}

export function classTotal(counts: OutcomeCounts, cls: OutcomeClass): number {
  return Object.values(counts[cls]).reduce((a, b) => a + b, 0);
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Counts operations as they finish: per second (taken at each engine tick) and in total.
 * Only one second's success durations are held at a time.
 */
export class OutcomeTally {
  private bucket = emptyCounts();
  private durations: number[] = [];
  readonly totals = emptyCounts();

  add(op: OpRecord): void {
    for (const counts of [this.bucket, this.totals]) counts[op.cls][op.reason] = (counts[op.cls][op.reason] ?? 0) + 1;
    if (op.cls === 'success' && op.ms !== undefined) this.durations.push(op.ms);
  }

  /** The outcomes since the previous call. */
  takeSecond(): SecondOutcomes {
    const sorted = this.durations.sort((a, b) => a - b);
    const second: SecondOutcomes = {
      outcomes: this.bucket,
      successMs: sorted.length === 0 ? null : { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) },
    };
    this.bucket = emptyCounts();
    this.durations = [];
    return second;
  }
}
