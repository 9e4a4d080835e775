import { describe, expect, it } from 'vitest';
import { mergeOptions } from '../config/k6-options.ts';
import { ignoredVusWarning, normalizeScenarios } from './normalize-scenarios.ts';

describe('shortcut options map to executors as in k6', () => {
  it.each([
    [{}, { executor: 'per-vu-iterations', vus: 1, iterations: 1 }],
    // `vus` alone is ignored with a warning, as in k6: 1 VU, 1 iteration.
    [{ vus: 5 }, { executor: 'per-vu-iterations', vus: 1, iterations: 1 }],
    [{ vus: 5, iterations: 10 }, { executor: 'shared-iterations', vus: 5, iterations: 10, maxDurationMs: 600_000 }],
    [{ vus: 2, iterations: 4, duration: '30s' }, { executor: 'shared-iterations', maxDurationMs: 30_000 }],
    [{ vus: 3, duration: '10s' }, { executor: 'constant-vus', vus: 3, durationMs: 10_000 }],
    [{ stages: [{ duration: '5s', target: 10 }] }, { executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 5000, target: 10 }] }],
  ])('%j', (options, expected) => {
    expect(normalizeScenarios(options)).toEqual([expect.objectContaining({ name: 'default', exec: 'default', gracefulStopMs: 30_000, ...expected })]);
  });

  it("warns, in k6's words, when vus is set alone", () => {
    expect(ignoredVusWarning({ vus: 5 })).toBe('the `vus=5` option will be ignored, it only works in conjunction with `iterations`, `duration`, or `stages`');
    expect(ignoredVusWarning({ vus: 5, duration: '1s' })).toBeUndefined();
    expect(ignoredVusWarning({ vus: 1 })).toBeUndefined();
  });

  it('refuses conflicting shortcuts', () => {
    expect(() => normalizeScenarios({ stages: [{ duration: '1s', target: 1 }], iterations: 2 })).toThrow(/simultaneously/);
  });

  it('lets CLI-style overrides replace the script scenarios', () => {
    const merged = mergeOptions({ scenarios: { a: { executor: 'constant-vus', duration: '1m' } } }, { vus: 2, duration: '5s' });
    expect(normalizeScenarios(merged)).toEqual([expect.objectContaining({ name: 'default', executor: 'constant-vus', vus: 2 })]);
  });

  it('applies executor defaults and validates', () => {
    const [s] = normalizeScenarios({ scenarios: { car: { executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 5 } } });
    expect(s).toMatchObject({ timeUnitMs: 1000, maxVUs: 5, startTimeMs: 0 });
    expect(() => normalizeScenarios({ scenarios: { x: { executor: 'shared-iterations', vus: 5, iterations: 2 } } })).toThrow(/can't be less than the number of VUs/);
    expect(() => normalizeScenarios({ scenarios: { x: { executor: 'constant-vus' } } })).toThrow(/duration is required/);
    expect(() => normalizeScenarios({ scenarios: { 'bad name': { executor: 'constant-vus', duration: '1s' } } })).toThrow(/invalid scenario name/);
    expect(() => normalizeScenarios({ scenarios: { x: { executor: 'ramping-arrival-rate', preAllocatedVUs: 3, maxVUs: 1, stages: [{ duration: '1s', target: 1 }] } } })).toThrow(/maxVUs/);
  });
});
