/**
 * `--segment INDEX/COUNT`: this load generator runs part INDEX (0-based, as a Kubernetes Indexed
 * Job's completion index) of COUNT equal parts — k6's execution segment INDEX/COUNT:(INDEX+1)/COUNT
 * of the sequence 0,1/COUNT,…,1.
 */
import { equalSegments, formatSegment, formatSequence } from '@perf-lab/engine';
import { ConfigError } from '../errors.ts';

export interface LoadSegment {
  readonly index: number;
  readonly count: number;
}

export function parseLoadSegment(text: string): LoadSegment {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) {
    throw new ConfigError(`--segment expects INDEX/COUNT with 0 <= INDEX < COUNT (e.g. 0/3, 1/3, 2/3 for three generators), got "${text}"`);
  }
  return { index, count };
}

/** The engine's execution segment and sequence of a generator's part. */
export function engineSegment(s: LoadSegment): { segment: string; sequence: string } {
  const { segments, sequence } = equalSegments(s.count);
  return { segment: formatSegment(segments[s.index]!), sequence: formatSequence(sequence) };
}
