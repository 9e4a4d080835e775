/**
 * The refusals of a merge: parts of different tests (script, options or segment sequence differ),
 * segments that overlap, and segments missing from [0, 1]. A sum over such parts would look like
 * a result and be none.
 */
import { formatSegment, parseExecutionSegment, type ExecutionSegment } from '../config/execution-segment.ts';
import { compare, formatRational, rational } from '../config/rational.ts';
import { PartialMergeError } from './partial-merge-error.ts';
import type { PartialIdentity } from '../run/partial-result.ts';

export interface NamedPart {
  /** Where the part came from, for messages. */
  readonly source: string;
  readonly identity: PartialIdentity;
  readonly executed: boolean;
}

export function checkPartials(parts: readonly NamedPart[]): void {
  const [first] = parts;
  if (!first) throw new PartialMergeError('missing-segments', 'no parts to merge: pass the folders the generators wrote with --out partial=DIR');
  for (const p of parts) {
    for (const key of ['scriptHash', 'optionsHash', 'sequence'] as const) {
      if (p.identity[key] !== first.identity[key]) {
        throw new PartialMergeError('different-tests', `${p.source} is a part of a different test than ${first.source}: ${DIFFERENCE[key]} — run every generator with the same script and flags, changing only --execution-segment`);
      }
    }
    if (!p.executed) throw new PartialMergeError('not-executed', `${p.source}: its scenarios never ran (setup() or init failed there) — look at that generator's log and rerun it`);
  }
  const segments = parts.map((p) => ({ source: p.source, seg: parseExecutionSegment(p.identity.segment) }));
  segments.sort((a, b) => compare(a.seg.from, b.seg.from) || compare(a.seg.to, b.seg.to));
  let covered = rational(0);
  let previous: { source: string; seg: ExecutionSegment } | undefined;
  for (const s of segments) {
    const order = compare(s.seg.from, covered);
    if (order < 0 && previous) {
      throw new PartialMergeError('overlapping-segments', `${s.source} (segment ${formatSegment(s.seg)}) overlaps ${previous.source} (segment ${formatSegment(previous.seg)}) — each segment must be merged once`);
    }
    if (order > 0) throw new PartialMergeError('missing-segments', `no part covers the segment ${formatRational(covered)}:${formatRational(s.seg.from)} — add the part of the generator that ran it`);
    covered = s.seg.to;
    previous = s;
  }
  if (compare(covered, rational(1)) < 0) throw new PartialMergeError('missing-segments', `no part covers the segment ${formatRational(covered)}:1 — add the part of the generator that ran it`);
}

const DIFFERENCE = {
  scriptHash: 'the scripts differ',
  optionsHash: 'the options differ (scenarios, thresholds, tags or other flags)',
  sequence: 'the execution segment sequences differ',
} as const;
