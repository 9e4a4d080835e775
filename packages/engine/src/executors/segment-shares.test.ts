/**
 * Each instance's share of a scenario under an execution-segment sequence, as k6 partitions it.
 * The expected values were worked out by hand from k6's documented algorithm (see the top of
 * config/execution-segment.ts): slots dealt biggest segment first to the first one that is due,
 * VU counts scaled by the test's sequence, and the iterations of shared-iterations and of the
 * arrival-rate executors striped over the sequence re-segmented by `vus` / `maxVUs`.
 */
import { describe, expect, it } from 'vitest';
import { buildStripes, ownsIndex, parseExecutionSegment, parseExecutionSegmentSequence, scaleInt, type SegmentStripes } from '../config/execution-segment.ts';
import { normalizeScenarios } from './normalize-scenarios.ts';
import { initialVUs, iterationStripes, type Scenario } from './executor-types.ts';

/** The stripes of every segment of `sequence`, in order. */
function instances(sequence: string): SegmentStripes[] {
  const points = parseExecutionSegmentSequence(sequence) ?? [];
  return points.slice(1).map((_, i) => buildStripes(parseExecutionSegment(`${sequence.split(',')[i]}:${sequence.split(',')[i + 1]}`), points));
}

function scenario(config: Record<string, unknown>): Scenario {
  const [s] = normalizeScenarios({ scenarios: { s: config } });
  if (!s) throw new Error('no scenario');
  return s;
}

describe('shared-iterations shares (iterations follow the VUs)', () => {
  it.each([
    // 2 VUs over thirds go to the first two instances; the 10 iterations are split 5/5 between
    // them, none to the third (striping 10 over thirds would have given it 3 without a VU).
    { sequence: '0,1/3,2/3,1', vus: 2, iterations: 10, expectVus: [1, 1, 0], expectIterations: [5, 5, 0] },
    // Slots of 0,1/4,1/2,1 are owned [2,0,2,1]: 3 VUs → [1,0,2]; re-segmented 0:1/3, 1/3:1,
    // whose slots are owned [1/3:1, 0:1/3, 1/3:1], so 10 iterations → [3,0,7].
    { sequence: '0,1/4,1/2,1', vus: 3, iterations: 10, expectVus: [1, 0, 2], expectIterations: [3, 0, 7] },
    // VUs divisible by the cycle: the sequence is kept as it is.
    { sequence: '0,1/3,2/3,1', vus: 3, iterations: 7, expectVus: [1, 1, 1], expectIterations: [3, 2, 2] },
  ])('$sequence, $vus VUs, $iterations iterations', ({ sequence, vus, iterations, expectVus, expectIterations }) => {
    const s = scenario({ executor: 'shared-iterations', vus, iterations });
    const all = instances(sequence);
    expect(all.map((st) => initialVUs(s, st))).toEqual(expectVus);
    expect(all.map((st) => scaleInt(iterationStripes(s, st), iterations))).toEqual(expectIterations);
  });
});

describe('arrival-rate shares (starts follow maxVUs)', () => {
  const owned = (st: SegmentStripes, n: number): number[] => Array.from({ length: n }, (_, i) => i).filter((i) => ownsIndex(st, i));

  it.each([
    // maxVUs 1 over thirds: only the first instance has a VU, so it starts every iteration.
    { executor: 'constant-arrival-rate', sequence: '0,1/3,2/3,1', maxVUs: 1, expectVus: [1, 0, 0], expectStarts: [[0, 1, 2, 3, 4, 5], [], []] },
    // Halves with maxVUs 3 → VUs [2,1]; re-segmented 0:2/3, 2/3:1, slots owned [0,1,0].
    { executor: 'ramping-arrival-rate', sequence: '0,1/2,1', maxVUs: 3, expectVus: [2, 1], expectStarts: [[0, 2, 3, 5], [1, 4]] },
    // maxVUs divisible by the cycle: starts striped over the test's own sequence.
    { executor: 'constant-arrival-rate', sequence: '0,1/3,2/3,1', maxVUs: 3, expectVus: [1, 1, 1], expectStarts: [[0, 3], [1, 4], [2, 5]] },
  ])('$executor, $sequence, maxVUs $maxVUs', ({ executor, sequence, maxVUs, expectVus, expectStarts }) => {
    const rate = executor === 'constant-arrival-rate' ? { rate: 10, duration: '1s' } : { stages: [{ duration: '1s', target: 10 }] };
    const s = scenario({ executor, preAllocatedVUs: maxVUs, maxVUs, ...rate });
    const all = instances(sequence);
    expect(all.map((st) => initialVUs(s, st))).toEqual(expectVus);
    expect(all.map((st) => owned(iterationStripes(s, st), 6))).toEqual(expectStarts);
  });
});

describe('VU-based executors use the test sequence as it is', () => {
  it.each([
    // Slots of 0,1/4,1/2,1 are owned [2,0,2,1]: 5 VUs → one cycle [1,1,2] plus slot 0 → [1,1,3].
    { config: { executor: 'constant-vus', vus: 5, duration: '1s' }, expectVus: [1, 1, 3] },
    // 2 VUs: slots 0 and 1 → [1,0,1].
    { config: { executor: 'per-vu-iterations', vus: 2, iterations: 4 }, expectVus: [1, 0, 1] },
    // ramping-vus plans for its largest target (7 → [2,1,4]).
    { config: { executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '1s', target: 7 }] }, expectVus: [2, 1, 4] },
  ])('$config.executor', ({ config, expectVus }) => {
    const s = scenario(config);
    const all = instances('0,1/4,1/2,1');
    expect(all.map((st) => initialVUs(s, st))).toEqual(expectVus);
    for (const st of all) expect(iterationStripes(s, st)).toBe(st);
  });
});
