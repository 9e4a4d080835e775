/**
 * k6 execution segments: one instance runs the part [from, to) of a test, and a sequence
 * ("0,1/3,2/3,1") lists the parts of all instances. Integer quantities (VUs, iterations,
 * arrival-rate iteration indexes) are striped over the sequence: index i of the whole test
 * belongs to the segment that owns slot (i mod LCD), so every instance's share is within one of
 * its exact fraction and the shares always add up to the whole.
 *
 * The slots are dealt as k6 deals them (lib/execution_segment.go), so an engine instance and a k6
 * instance given the same sequence take the same VUs, iterations and iteration indexes: segments
 * are visited biggest first (ties in sequence order) and slot i goes to the first one that is due
 * one, i.e. whose c slots so far are not ahead of its share of i (i · quota ≥ c · LCD).
 * Executors that share iterations between VUs re-segment by a VU count first (resegment()).
 */
import { compare, formatRational, lcm, parseRational, rational, sub, type Rational } from './rational.ts';

export interface ExecutionSegment {
  readonly from: Rational;
  readonly to: Rational;
}

export interface SegmentStripes {
  readonly segment: ExecutionSegment;
  /** Slots per cycle (the LCD of the sequence's segment lengths). */
  readonly cycle: number;
  /** Slots of the cycle owned by this segment, ascending. */
  readonly owned: readonly number[];
  /** Owner (segment index in the sequence) of every slot of the cycle. */
  readonly slotOwner: readonly number[];
  readonly index: number;
}

const ZERO = rational(0);
const ONE = rational(1);

export const FULL_SEGMENT: ExecutionSegment = { from: ZERO, to: ONE };

/** "1/3:2/3", "50%:100%", or a single boundary "1/3" meaning "0:1/3" (as in k6). */
export function parseExecutionSegment(text: string | undefined): ExecutionSegment {
  if (!text || text.trim() === '') return FULL_SEGMENT;
  const parts = text.split(':');
  if (parts.length > 2) throw new Error(`invalid execution segment "${text}": expected "from:to"`);
  const from = parts.length === 2 ? parseRational(parts[0] ?? '') : ZERO;
  const to = parseRational(parts[parts.length - 1] ?? '');
  if (compare(from, ZERO) < 0 || compare(to, ONE) > 0 || compare(from, to) >= 0) {
    throw new Error(`invalid execution segment "${text}": need 0 <= from < to <= 1`);
  }
  return { from, to };
}

/** "0,1/3,2/3,1" → its boundaries; must be strictly increasing within [0, 1]. */
export function parseExecutionSegmentSequence(text: string | undefined): Rational[] | undefined {
  if (!text || text.trim() === '') return undefined;
  const points = text.split(',').map((p) => parseRational(p));
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Rational;
    if (compare(p, ZERO) < 0 || compare(p, ONE) > 0) throw new Error(`invalid execution segment sequence "${text}"`);
    if (i > 0 && compare(points[i - 1] as Rational, p) >= 0) {
      throw new Error(`invalid execution segment sequence "${text}": boundaries must increase`);
    }
  }
  return points;
}

export function formatSegment(s: ExecutionSegment): string {
  return `${formatRational(s.from)}:${formatRational(s.to)}`;
}

/**
 * Builds the stripes of `segment` within `sequence`; without a sequence, k6 uses the smallest
 * one that contains the segment: 0, from, to, 1.
 */
export function buildStripes(segment: ExecutionSegment, sequence?: Rational[]): SegmentStripes {
  const pts = fillSequence(sequence ?? [segment.from, segment.to]);
  const segments: ExecutionSegment[] = [];
  for (let i = 1; i < pts.length; i++) segments.push({ from: pts[i - 1] as Rational, to: pts[i] as Rational });
  const index = segments.findIndex((s) => compare(s.from, segment.from) === 0 && compare(s.to, segment.to) === 0);
  if (index < 0) {
    throw new Error(`execution segment ${formatSegment(segment)} is not part of the sequence ${pts.map(formatRational).join(',')}`);
  }
  return stripesOf(segments, index);
}

/** The stripes of segment `index` of `segments`, which cover [0, 1) in order. */
function stripesOf(segments: readonly ExecutionSegment[], index: number): SegmentStripes {
  const lengths = segments.map((s) => sub(s.to, s.from));
  const cycle = lengths.reduce((acc, l) => lcm(acc, l.d), 1);
  const slotOwner = dealSlots(lengths.map((l) => (l.n * cycle) / l.d), cycle);
  const owned = slotOwner.flatMap((owner, slot) => (owner === index ? [slot] : []));
  return { segment: segments[index] as ExecutionSegment, cycle, owned, slotOwner, index };
}

/** k6's striping (see the top of the file): the owner of each slot of a cycle, where segment j
 * owns quota[j] of the `cycle` slots. */
function dealSlots(quota: readonly number[], cycle: number): number[] {
  const order = quota.map((_, j) => j).sort((a, b) => (quota[b] as number) - (quota[a] as number) || a - b);
  const taken = quota.map(() => 0);
  const slotOwner: number[] = [];
  for (let slot = 0; slot < cycle; slot++) {
    const due = order.find((j) => slot * (quota[j] as number) >= (taken[j] as number) * cycle);
    if (due === undefined) throw new Error(`perf-lab engine: no segment is due slot ${slot} of ${cycle}`);
    slotOwner.push(due);
    taken[due] = (taken[due] as number) + 1;
  }
  return slotOwner;
}

function fillSequence(points: Rational[]): Rational[] {
  const all = [ZERO, ...points, ONE];
  const out: Rational[] = [];
  for (const p of all) if (!out.some((q) => compare(p, q) === 0)) out.push(p);
  return out.sort(compare);
}

/** How many of the test-wide indexes 0..value-1 belong to this segment (k6's ScaleInt). */
export function scaleInt(stripes: SegmentStripes, value: number): number {
  return shareOf(stripes, stripes.index, value);
}

/** How many of the indexes 0..value-1 segment `owner` of the sequence takes. */
function shareOf(stripes: SegmentStripes, owner: number, value: number): number {
  let share = 0;
  for (let slot = 0; slot < stripes.cycle; slot++) if (stripes.slotOwner[slot] === owner) share++;
  share *= Math.floor(value / stripes.cycle);
  const rest = value % stripes.cycle;
  for (let slot = 0; slot < rest; slot++) if (stripes.slotOwner[slot] === owner) share++;
  return share;
}

/**
 * k6's re-segmenting by a count (GetNewExecutionTupleFromValue): the sequence made of each
 * segment's share of `value` (segments with none are left out), and this segment in it. An
 * executor whose iterations are run by a number of VUs (shared-iterations by `vus`, the
 * arrival-rate ones by `maxVUs`) stripes its iterations over that sequence, so an instance gets
 * iterations in proportion to the VUs it has, and one without VUs gets none.
 */
export function resegment(stripes: SegmentStripes, value: number): SegmentStripes {
  if (value >= 1 && value % stripes.cycle === 0) return stripes;
  const mine = value >= 1 ? scaleInt(stripes, value) : 0;
  if (mine === 0) return { segment: stripes.segment, cycle: 1, owned: [], slotOwner: [0], index: -1 };
  const segments: ExecutionSegment[] = [];
  let index = -1;
  let from = 0;
  const count = stripes.slotOwner.reduce((n, o) => Math.max(n, o + 1), 0);
  for (let j = 0; j < count; j++) {
    const share = shareOf(stripes, j, value);
    if (share === 0) continue;
    if (j === stripes.index) index = segments.length;
    segments.push({ from: rational(from, value), to: rational(from + share, value) });
    from += share;
  }
  return stripesOf(segments, index);
}

/** Whether test-wide index i (e.g. the i-th arrival-rate iteration) is run by this segment. */
export function ownsIndex(stripes: SegmentStripes, i: number): boolean {
  return stripes.slotOwner[i % stripes.cycle] === stripes.index;
}

/** The test-wide index of this segment's k-th local index (k, result 0-based). */
export function globalIndex(stripes: SegmentStripes, k: number): number {
  const per = stripes.owned.length;
  if (per === 0) return k;
  return Math.floor(k / per) * stripes.cycle + (stripes.owned[k % per] as number);
}

/** Splits the whole test into `n` equal segments: the sequence `--workers n` uses. */
export function equalSegments(n: number): { segments: ExecutionSegment[]; sequence: Rational[] } {
  const sequence = Array.from({ length: n + 1 }, (_, i) => rational(i, n));
  const segments = Array.from({ length: n }, (_, i) => ({ from: sequence[i] as Rational, to: sequence[i + 1] as Rational }));
  return { segments, sequence };
}

export function formatSequence(seq: Rational[]): string {
  return seq.map(formatRational).join(',');
}
