import exec from 'k6/execution';
import { loadConfig } from './lib/config.ts';
import { issueCouponFor } from './lib/issue-coupon.ts';
import { randomInt, thinkSeconds } from './lib/random.ts';
import { buildOptions } from './lib/k6-options.ts';
import { pause } from './lib/pause.ts';
import { summaryOutputs, type SummaryData } from './lib/summary.ts';

/**
 * First-come coupon issuance through the API contract's couponIssue (the reference server's:
 * POST /api/coupons/{id}/issue with {userId}).
 * Sequential: every user of 1..vus×iterations exactly once; load/peak: random users.
 */
const config = loadConfig('coupon', 'sequential');
const { profile } = config;
const perVu = profile.load.executor === 'per-vu-iterations' ? profile.load.iterations : 0;

export const options = buildOptions(config, 'issueCoupon', [config.api.couponIssue]);

function nextUser(): number {
  if (profile.load.executor === 'per-vu-iterations') {
    return config.sequentialUserStart + (exec.vu.idInTest - 1) * perVu + exec.vu.iterationInScenario;
  }
  return randomInt(config.userMin, config.userMax);
}

export function issueCoupon(): void {
  issueCouponFor(config, nextUser());
  pause(thinkSeconds(profile.thinkSeconds));
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config.summaryJson, `perf-lab coupon / ${profile.name}: ${profile.description}`);
}
