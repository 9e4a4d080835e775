import exec from 'k6/execution';
import { COUPON_CONTRACT } from './lib/classify.ts';
import { loadConfig } from './lib/config.ts';
import { call } from './lib/http-call.ts';
import { randomInt, thinkSeconds } from './lib/random.ts';
import { buildOptions } from './lib/k6-options.ts';
import { pause } from './lib/pause.ts';
import { summaryOutputs, type SummaryData } from './lib/summary.ts';

/**
 * First-come coupon issuance: POST /api/coupons/{id}/issue with {userId}.
 * Sequential: every user of 1..vus×iterations exactly once; load/peak: random users.
 */
const config = loadConfig('coupon', 'sequential');
const { profile } = config;
const perVu = profile.load.executor === 'per-vu-iterations' ? profile.load.iterations : 0;

export const options = buildOptions(config, 'issueCoupon', [COUPON_CONTRACT]);

function nextUser(): number {
  if (profile.load.executor === 'per-vu-iterations') {
    return config.sequentialUserStart + (exec.vu.idInTest - 1) * perVu + exec.vu.iterationInScenario;
  }
  return randomInt(config.userMin, config.userMax);
}

export function issueCoupon(): void {
  const userId = nextUser();
  call(
    COUPON_CONTRACT, 'coupon.issue', 'POST', `${config.baseUrl}/api/coupons/${config.couponId}/issue`, { userId },
    { timeout: config.requestTimeout, name: 'POST /api/coupons/{id}/issue' },
    { enabled: config.opsLog, fields: (c, status) => ({ coupon: config.couponId, user: userId, status, reason: c.reason }) },
  );
  pause(thinkSeconds(profile.thinkSeconds));
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config.summaryJson, `perf-lab coupon / ${profile.name}: ${profile.description}`);
}
