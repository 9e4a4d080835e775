import { isProfileName, isScenarioName, PROFILE_NAMES, SCENARIO_NAMES, type ProfileName, type ScenarioName } from '@perf-lab/contract';

/**
 * Load profiles as data: the seed's designs verbatim, shared by the k6 scripts (bundled in)
 * and the CLI (imported), so a report always names the exact stages that ran. The scenario
 * and profile names are the contract's. Pure TypeScript: no k6 import, so Node can load it too.
 */
export type { ProfileName, ScenarioName };

export interface Stage {
  readonly duration: string;
  readonly target: number;
}

export type ProfileExecutor =
  | { readonly executor: 'per-vu-iterations'; readonly vus: number; readonly iterations: number; readonly maxDuration: string }
  | { readonly executor: 'ramping-vus'; readonly startVUs: number; readonly stages: readonly Stage[]; readonly gracefulRampDown?: string }
  | { readonly executor: 'constant-vus'; readonly vus: number; readonly duration: string };

export interface Profile {
  readonly scenario: ScenarioName;
  readonly name: ProfileName;
  readonly description: string;
  readonly load: ProfileExecutor;
  /** Think time between iterations, seconds; [min, max] drawn uniformly. */
  readonly thinkSeconds: readonly [number, number];
  /** Latency targets for successful responses, in ms (thresholds on p95 and p99). */
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Stop the test when the system-failure rate passes 1 % (the spike profiles). */
  readonly abortOnSystemFailures: boolean;
}

const COUPON: Record<ProfileName, Profile> = {
  sequential: {
    scenario: 'coupon', name: 'sequential',
    description: '200 VUs × 250 iterations = 50,000 requests, users 1..50,000 each exactly once, no sleep',
    load: { executor: 'per-vu-iterations', vus: 200, iterations: 250, maxDuration: '10m' },
    thinkSeconds: [0, 0], p95Ms: 500, p99Ms: 1000, abortOnSystemFailures: false,
  },
  load: {
    scenario: 'coupon', name: 'load',
    description: 'ramping 0→100 (1m) →200 (3m) =200 (2m) →0 (30s), users 50,001..150,000, think 1–3 s',
    load: { executor: 'ramping-vus', startVUs: 0, stages: [
      { duration: '1m', target: 100 }, { duration: '3m', target: 200 }, { duration: '2m', target: 200 }, { duration: '30s', target: 0 },
    ] },
    thinkSeconds: [1, 3], p95Ms: 500, p99Ms: 1000, abortOnSystemFailures: false,
  },
  peak: {
    scenario: 'coupon', name: 'peak',
    description: 'ramping 0→300 (30s) →500 (1m) =500 (2m) →0 (30s), users 50,001..150,000, think 0.1 s',
    load: { executor: 'ramping-vus', startVUs: 0, stages: [
      { duration: '30s', target: 300 }, { duration: '1m', target: 500 }, { duration: '2m', target: 500 }, { duration: '30s', target: 0 },
    ] },
    thinkSeconds: [0.1, 0.1], p95Ms: 1000, p99Ms: 2000, abortOnSystemFailures: true,
  },
};

const ORDER: Record<ProfileName, Profile> = {
  sequential: {
    scenario: 'order', name: 'sequential',
    description: '1 VU × 1,000 orders, each from a distinct user’s cart, no sleep',
    load: { executor: 'per-vu-iterations', vus: 1, iterations: 1000, maxDuration: '10m' },
    thinkSeconds: [0, 0], p95Ms: 300, p99Ms: 600, abortOnSystemFailures: false,
  },
  load: {
    scenario: 'order', name: 'load',
    description: 'ramping 0→50 (30s) →100 (1m) →0 (30s), gracefulRampDown 10s, think 0–200 ms',
    load: { executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '10s', stages: [
      { duration: '30s', target: 50 }, { duration: '1m', target: 100 }, { duration: '30s', target: 0 },
    ] },
    thinkSeconds: [0, 0.2], p95Ms: 500, p99Ms: 1000, abortOnSystemFailures: false,
  },
  peak: {
    scenario: 'order', name: 'peak',
    description: 'spike 0→200 (10s) =200 (1m) →0 (20s): 2× the modelled system’s maximum, think 0–200 ms',
    load: { executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '10s', stages: [
      { duration: '10s', target: 200 }, { duration: '1m', target: 200 }, { duration: '20s', target: 0 },
    ] },
    thinkSeconds: [0, 0.2], p95Ms: 1000, p99Ms: 2000, abortOnSystemFailures: true,
  },
};

const STORM: Record<ProfileName, Profile> = {
  sequential: {
    scenario: 'storm', name: 'sequential',
    description: '50 VUs × 20 iterations on the same 20 users: dedupe and per-user locking under contention',
    load: { executor: 'per-vu-iterations', vus: 50, iterations: 20, maxDuration: '5m' },
    thinkSeconds: [0, 0], p95Ms: 1000, p99Ms: 2000, abortOnSystemFailures: false,
  },
  load: {
    scenario: 'storm', name: 'load',
    description: '100 VUs for 1m on the same 20 users, no sleep',
    load: { executor: 'constant-vus', vus: 100, duration: '1m' },
    thinkSeconds: [0, 0], p95Ms: 1000, p99Ms: 2000, abortOnSystemFailures: false,
  },
  peak: {
    scenario: 'storm', name: 'peak',
    description: '300 VUs for 1m on the same 20 users, no sleep',
    load: { executor: 'constant-vus', vus: 300, duration: '1m' },
    thinkSeconds: [0, 0], p95Ms: 2000, p99Ms: 4000, abortOnSystemFailures: true,
  },
};

export const PROFILES: Readonly<Record<ScenarioName, Readonly<Record<ProfileName, Profile>>>> = {
  coupon: COUPON, order: ORDER, storm: STORM,
};

export function getProfile(scenario: string, profile: string): Profile {
  if (!isScenarioName(scenario)) {
    throw new Error(`unknown scenario "${scenario}" — choose one of ${SCENARIO_NAMES.join(', ')}`);
  }
  if (!isProfileName(profile)) {
    throw new Error(`unknown profile "${profile}" — choose one of ${PROFILE_NAMES.join(', ')}`);
  }
  return PROFILES[scenario][profile];
}
