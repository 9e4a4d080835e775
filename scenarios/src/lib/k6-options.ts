import type { Options } from 'k6/options';
import type { Contract } from './classify.ts';
import type { ScenarioConfig } from './config.ts';
import { METRIC_NAMES } from './metric-names.ts';

/**
 * k6 options from a profile: the executor, the thresholds, and a `count>=0` threshold per
 * known reason — k6 only puts a tagged sub-metric into the summary when a threshold names
 * it, and the report needs every reason's count.
 */
export function buildOptions(config: ScenarioConfig, exec: string, contracts: readonly Contract[], extraScenarios: Record<string, object> = {}): Options {
  const { profile } = config;
  const succ = METRIC_NAMES.successDuration;
  const thresholds: Record<string, (string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string })[]> = {
    [METRIC_NAMES.systemFailureRate]: profile.abortOnSystemFailures
      ? ['rate==0', { threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }]
      : ['rate==0'],
    [succ]: [`p(95)<${profile.p95Ms}`, `p(99)<${profile.p99Ms}`],
    checks: ['rate>0.99'],
  };
  const reasons = new Set(contracts.flatMap((c) => Object.values(c.refusals.codes).flatMap((codes) => codes ?? [])));
  for (const reason of reasons) thresholds[`${METRIC_NAMES.businessFailures}{reason:${reason}}`] = ['count>=0'];
  return {
    scenarios: { [profile.scenario]: { ...profile.load, exec }, ...extraScenarios } as Options['scenarios'],
    thresholds,
    tags: { profile: profile.name, perf_lab_scenario: profile.scenario },
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    // Kept: every response is classified by the error code in its JSON body.
    discardResponseBodies: false,
  };
}
