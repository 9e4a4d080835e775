import { describe, expect, it } from 'vitest';
import { buildStripes, FULL_SEGMENT, parseExecutionSegment, parseExecutionSegmentSequence } from '../config/execution-segment.ts';
import type { ScenarioInput } from '../config/k6-options.ts';
import { planInitialVus } from '../run/plan-vus.ts';
import { EXECUTOR_TYPES, initialVUs, scenarioDurationMs, scenarioHoldMs } from './executor-types.ts';
import { normalizeScenarios } from './normalize-scenarios.ts';

const one = (input: ScenarioInput) => {
  const [s] = normalizeScenarios({ scenarios: { s: input } });
  if (!s) throw new Error('no scenario');
  return s;
};
const whole = buildStripes(FULL_SEGMENT);
const firstHalf = buildStripes(parseExecutionSegment('0:1/2'), parseExecutionSegmentSequence('0,1/2,1'));

describe("each executor's rules, from its own file", () => {
  it('lists the six k6 executors', () => {
    expect(Object.keys(EXECUTOR_TYPES).sort()).toEqual(['constant-arrival-rate', 'constant-vus', 'per-vu-iterations', 'ramping-arrival-rate', 'ramping-vus', 'shared-iterations']);
  });

  it.each([
    ['shared-iterations', { executor: 'shared-iterations', vus: 3, iterations: 9, maxDuration: '20s' }, 20_000, 20_000 + 30_000, 3, 2],
    ['per-vu-iterations', { executor: 'per-vu-iterations', vus: 5, iterations: 2, gracefulStop: '1s' }, 600_000, 601_000, 5, 3],
    ['constant-vus', { executor: 'constant-vus', vus: 4, duration: '10s', gracefulStop: '0s' }, 10_000, 10_000, 4, 2],
    // ramping-vus: the largest target, and gracefulRampDown after gracefulStop.
    ['ramping-vus', { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '5s', target: 7 }, { duration: '5s', target: 0 }], gracefulRampDown: '2s' }, 10_000, 10_000 + 30_000 + 2_000, 7, 4],
    // arrival rates: preAllocatedVUs up front, the rest up to maxVUs on demand.
    ['constant-arrival-rate', { executor: 'constant-arrival-rate', rate: 50, duration: '30s', preAllocatedVUs: 6, maxVUs: 20 }, 30_000, 60_000, 6, 3],
    ['ramping-arrival-rate', { executor: 'ramping-arrival-rate', stages: [{ duration: '4s', target: 10 }, { duration: '6s', target: 10 }], preAllocatedVUs: 1, maxVUs: 3 }, 10_000, 40_000, 1, 1],
  ] as const)('%s: duration, time its VUs are held, VUs up front (whole and half)', (_name, input, duration, hold, vus, halfVus) => {
    const s = one(input as ScenarioInput);
    expect(scenarioDurationMs(s)).toBe(duration);
    expect(scenarioHoldMs(s)).toBe(hold);
    expect(initialVUs(s, whole)).toBe(vus);
    expect(initialVUs(s, firstHalf)).toBe(halfVus);
  });

  it('plans the VUs that overlapping scenarios need at once, and no more', () => {
    const scenarios = normalizeScenarios({
      scenarios: {
        a: { executor: 'constant-vus', vus: 4, duration: '10s', gracefulStop: '0s' },
        // starts while a runs: 4 + 3
        b: { executor: 'per-vu-iterations', vus: 3, startTime: '5s', maxDuration: '10s', gracefulStop: '0s' },
        // starts after both ended: its 5 VUs are a's and b's again
        c: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 5, startTime: '20s' },
      },
    });
    expect(planInitialVus(scenarios, whole)).toBe(7);
  });
});
