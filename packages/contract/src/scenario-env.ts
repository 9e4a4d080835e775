/**
 * The bundled scenarios' `__ENV` settings that perf-lab sets when it runs them (users of the
 * plain k6 scripts pass the same with `-e NAME=value`). The scripts read them; `perf-lab run`
 * writes them.
 */
export const SCENARIO_ENV = {
  baseUrl: 'BASE_URL',
  /** Comma-separated instances of `serve --instances N`; each VU takes `__VU % n`. */
  baseUrls: 'BASE_URLS',
  hotUsers: 'HOT_USERS',
  /** The API contract, whole, as JSON. */
  apiContract: 'API_CONTRACT',
  profile: 'PROFILE',
  summaryJson: 'SUMMARY_JSON',
  couponId: 'COUPON_ID',
  userMin: 'USER_MIN',
  userMax: 'USER_MAX',
  scale: 'SCALE',
  vus: 'VUS',
  duration: 'DURATION',
} as const;
