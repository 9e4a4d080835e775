import type { OpRecord } from '../run/op-line.ts';

/** Upper bounds of the buckets, ms: roughly ×2–2.5 apart, as latency spreads over decades. */
export const HISTOGRAM_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] as const;

export interface HistogramBucket {
  /** "≤ 5 ms", "> 10000 ms". */
  readonly label: string;
  readonly count: number;
}

/** Counts per bucket, from the first non-empty bucket to the last (empty tails say nothing). */
export function latencyHistogram(valuesMs: readonly number[], bounds: readonly number[] = HISTOGRAM_BOUNDS_MS): HistogramBucket[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of valuesMs) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i === -1 ? bounds.length : i]! += 1;
  }
  const buckets = counts.map((count, i) => ({ label: i < bounds.length ? `≤ ${bounds[i]} ms` : `> ${bounds.at(-1)} ms`, count }));
  const first = buckets.findIndex((b) => b.count > 0);
  if (first === -1) return [];
  const last = buckets.length - 1 - [...buckets].reverse().findIndex((b) => b.count > 0);
  return buckets.slice(first, last + 1);
}

/** The durations of the successful operations among a run's records (those with ms=). */
export function successDurations(records: readonly OpRecord[]): number[] {
  return records.flatMap((op) => (op.cls === 'success' && op.ms !== undefined ? [op.ms] : []));
}
