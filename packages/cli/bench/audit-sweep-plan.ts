/**
 * What the audit sweep runs, derived from the contract so a strategy, lock scope, scenario or
 * profile added there is swept without touching this file: every coupon strategy that claims
 * correctness × every order lock scope, each on a server `perf-lab serve --set …` started, with
 * every scenario run in turn on one seed (profiles rotating) — and, for each such strategy,
 * fault runs on the default lock scope. A strategy broken on purpose is left out: its
 * violations are the demonstration, not a false positive.
 */
import {
  COUPON_STRATEGIES, COUPON_STRATEGY_NAMES, DEFAULT_LOCK_SCOPE, LOCK_SCOPES, PROFILE_NAMES, SCENARIO_NAMES,
  type CouponStrategy, type LockScope, type ProfileName, type ScenarioName,
} from '@perf-lab/contract';

export interface SweepStep {
  readonly scenario: ScenarioName;
  readonly profile: ProfileName;
  /** `perf-lab run` flags that shrink the profile to seconds. */
  readonly loadFlags: readonly string[];
  readonly fault?: string;
}

export interface SweepCell {
  readonly strategy: CouponStrategy;
  readonly lock: LockScope;
  /** Run one after another on one seed, each audited on its own. */
  readonly steps: readonly SweepStep[];
}

/**
 * Small enough for seconds per run; the coupon stock sells out within a cell (refusals are swept
 * too) while product stock and carts last for every order run of a cell.
 */
export const SWEEP_SEED = ['--users', '2000', '--coupon-stock', '400', '--product-stock', '3000'] as const;

/** The fault runs: a server killed and restarted, the broker paused, while the load goes on. */
const FAULTS = ['kill-server@2s:1s', 'pause-kafka@2s:3s'] as const;

export const CORRECT_STRATEGIES: readonly CouponStrategy[] = COUPON_STRATEGY_NAMES.filter((s) => COUPON_STRATEGIES[s].claimsCorrectness);

function step(scenario: ScenarioName, profile: ProfileName, fault?: string): SweepStep {
  // Sequential profiles are iteration counts (scaled down); load and peak are stages (squeezed
  // into seconds, long enough for a fault to start, end and the load to go on after it).
  const loadFlags = profile === 'sequential' ? ['--scale', '0.05'] : ['--duration', fault ? '8s' : '4s', '--vus', '16'];
  return { scenario, profile, loadFlags, ...(fault ? { fault } : {}) };
}

/**
 * Every scenario on one seed, then the first again (a second run must be judged against the
 * state at its own start); the profile rotates with the cell so every profile is swept.
 */
function cleanSteps(cellIndex: number): SweepStep[] {
  const scenarios = [...SCENARIO_NAMES, SCENARIO_NAMES[0]];
  return scenarios.map((scenario, i) => step(scenario, PROFILE_NAMES[(cellIndex + i) % PROFILE_NAMES.length]!));
}

/** The full sweep: every correct strategy × every lock scope, then the fault cells. */
export function sweepPlan(): SweepCell[] {
  const clean = CORRECT_STRATEGIES.flatMap((strategy) => LOCK_SCOPES.map((lock) => ({ strategy, lock })))
    .map((c, i) => ({ ...c, steps: cleanSteps(i) }));
  // Peak profiles abort on system failures, which a fault causes on purpose: faults run under load.
  const faulted = CORRECT_STRATEGIES.map((strategy) => ({
    strategy, lock: DEFAULT_LOCK_SCOPE,
    steps: FAULTS.flatMap((fault) => [step('coupon', 'load', fault), step('order', 'load', fault)]),
  }));
  return [...clean, ...faulted];
}

/**
 * The bounded subset for the test suite: each correct strategy and each lock scope at least
 * once (paired round-robin), every scenario on each seed, no faults (they would pause the lab
 * other test files share).
 */
export function sweepSubset(): SweepCell[] {
  const count = Math.max(CORRECT_STRATEGIES.length, LOCK_SCOPES.length);
  return Array.from({ length: count }, (_, i) => ({
    strategy: CORRECT_STRATEGIES[i % CORRECT_STRATEGIES.length]!,
    lock: LOCK_SCOPES[i % LOCK_SCOPES.length]!,
    steps: SCENARIO_NAMES.map((scenario, j) => step(scenario, PROFILE_NAMES[(i + j) % PROFILE_NAMES.length]!)),
  }));
}
