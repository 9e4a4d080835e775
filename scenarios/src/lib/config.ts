import { DEFAULT_ADDRESSES, SCENARIO_ENV, parseApiContract, type ApiContract } from '@perf-lab/contract';
import { getProfile, type Profile, type ProfileName, type ScenarioName } from './profiles.ts';
import { applyProfileOverrides } from './profile-overrides.ts';

/**
 * Every __ENV read of the scenarios, with typed parsers that fail at init (k6 exits 107 with
 * the message) rather than sending a load test the wrong way.
 *   k6 run -e BASE_URL=http://127.0.0.1:18080 -e PROFILE=peak -e SCALE=0.05 dist/coupon.js
 * With BASE_URLS (a comma-separated list: the instances of `perf-lab serve --instances N`)
 * each VU takes one of them, round-robin by its number (`__VU % n`), so a plain k6 script
 * spreads its VUs evenly over the instances.
 */
export interface ScenarioConfig {
  /** This VU's base URL: BASE_URL, or its share of BASE_URLS. */
  readonly baseUrl: string;
  /** The API under test (API_CONTRACT, JSON; default: the reference server's). */
  readonly api: ApiContract;
  readonly profile: Profile;
  readonly couponId: number;
  /** Users drawn at random by the load/peak profiles. */
  readonly userMin: number;
  readonly userMax: number;
  /** First user id of the sequential profiles (each iteration takes the next one). */
  readonly sequentialUserStart: number;
  readonly stormUsers: number;
  /** Order: draw users from 1..hotUsers only (HOT_USERS), so many orders hit the same users at once. */
  readonly hotUsers: number | undefined;
  readonly orderCouponRate: number;
  readonly requestTimeout: string;
  readonly summaryJson: string;
  readonly opsLog: boolean;
}

function str(name: string, fallback: string): string {
  const v = __ENV[name];
  return v === undefined || v === '' ? fallback : v;
}

function num(name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`invalid ${name}=${JSON.stringify(raw)} — expected ${expected}`);
  return n;
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

/** API_CONTRACT: the JSON perf-lab passes from the `api` of perf-lab.config.*, validated here too. */
export function apiContract(raw: string | undefined): ApiContract {
  if (raw === undefined || raw === '') return parseApiContract(undefined);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`invalid API_CONTRACT — expected JSON: ${(err as Error).message}`);
  }
  return parseApiContract(value, SCENARIO_ENV.apiContract);
}

/** The VU's base URL: one of BASE_URLS by `vu % n` when given, else BASE_URL. */
export function vuBaseUrl(baseUrl: string, baseUrls: string | undefined, vu: number): string {
  const urls = (baseUrls === undefined || baseUrls === '' ? [baseUrl] : baseUrls.split(',')).map((u) => u.trim().replace(/\/$/, ''));
  for (const url of urls) if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`invalid ${baseUrls ? 'BASE_URLS entry ' : 'BASE_URL='}${url} — expected http://host:port`);
  return urls[vu % urls.length]!;
}

export function loadConfig(scenario: ScenarioName, defaultProfile: ProfileName): ScenarioConfig {
  const defaultUrl = `http://${DEFAULT_ADDRESSES.serverHost}:${DEFAULT_ADDRESSES.serverPort}`;
  const baseUrl = vuBaseUrl(str(SCENARIO_ENV.baseUrl, defaultUrl), __ENV[SCENARIO_ENV.baseUrls], typeof __VU === 'number' ? __VU : 0);
  const scale = num(SCENARIO_ENV.scale, 1, (n) => n > 0, 'a number above 0, e.g. 0.05');
  const vus = __ENV[SCENARIO_ENV.vus] ? num(SCENARIO_ENV.vus, 1, positiveInt, 'a positive integer') : undefined;
  const duration = __ENV[SCENARIO_ENV.duration] || undefined;
  let profile = applyProfileOverrides(getProfile(scenario, str(SCENARIO_ENV.profile, defaultProfile)), {
    ...(scale !== 1 ? { scale } : {}),
    ...(vus !== undefined ? { vus } : {}),
    ...(duration !== undefined ? { duration } : {}),
  });
  profile = {
    ...profile,
    p95Ms: num('P95_MS', profile.p95Ms, (n) => n > 0, 'milliseconds above 0'),
    p99Ms: num('P99_MS', profile.p99Ms, (n) => n > 0, 'milliseconds above 0'),
  };
  const userMin = num(SCENARIO_ENV.userMin, 50_001, positiveInt, 'a positive integer');
  const userMax = num(SCENARIO_ENV.userMax, 150_000, positiveInt, 'a positive integer');
  if (userMax < userMin) throw new Error(`USER_MAX (${userMax}) is below USER_MIN (${userMin})`);
  return {
    baseUrl,
    api: apiContract(__ENV[SCENARIO_ENV.apiContract]),
    profile,
    couponId: num(SCENARIO_ENV.couponId, 1, positiveInt, 'a positive integer'),
    userMin,
    userMax,
    sequentialUserStart: num('SEQUENTIAL_USER_START', 1, positiveInt, 'a positive integer'),
    stormUsers: num('STORM_USERS', 20, positiveInt, 'a positive integer'),
    hotUsers: __ENV[SCENARIO_ENV.hotUsers] ? num(SCENARIO_ENV.hotUsers, 1, positiveInt, 'a positive integer') : undefined,
    orderCouponRate: num('ORDER_COUPON_RATE', 0.1, (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1'),
    requestTimeout: str('REQUEST_TIMEOUT', '10s'),
    summaryJson: str(SCENARIO_ENV.summaryJson, 'summary.json'),
    opsLog: str('OPS_LOG', 'on') !== 'off',
  };
}
