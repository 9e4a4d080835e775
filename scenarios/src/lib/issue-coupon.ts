import { formatId } from '@perf-lab/contract';
import type { ScenarioConfig } from './config.ts';
import { call } from './http-call.ts';

/** The contract's coupon issue for seeded user n, logged in the system's own ids for the audit. */
export function issueCouponFor(config: ScenarioConfig, userNumber: number): void {
  const user = formatId(config.api.ids.user, userNumber);
  const coupon = formatId(config.api.ids.coupon, config.couponId);
  call(config, config.api.couponIssue, 'coupon.issue', { user, coupon }, {}, {
    fields: (c, status) => ({ coupon, user, status, reason: c.reason }),
  });
}
