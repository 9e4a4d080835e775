import exec from 'k6/execution';
import { COUPON_CONTRACT, ORDER_CONTRACT } from './lib/classify.ts';
import { loadConfig } from './lib/config.ts';
import { call } from './lib/http-call.ts';
import { randomInt } from './lib/random.ts';
import { buildOptions } from './lib/k6-options.ts';
import { placeOrder } from './lib/place-order.ts';
import { summaryOutputs, type SummaryData } from './lib/summary.ts';

/**
 * The duplicate storm: every VU hammers the same few users — the same coupon for each, and
 * concurrent orders for each — so dedupe and per-user locking are exercised under real
 * contention, not by luck of random ids. Two k6 scenarios run side by side.
 */
const config = loadConfig('storm', 'sequential');
const { profile } = config;
const base = buildOptions(config, 'couponStorm', [COUPON_CONTRACT, ORDER_CONTRACT]);
const couponScenario = base.scenarios?.[profile.scenario];

export const options = {
  ...base,
  scenarios: {
    coupon_storm: { ...couponScenario, exec: 'couponStorm' },
    order_storm: { ...couponScenario, exec: 'orderStorm' },
  },
};

const stormUser = () => randomInt(config.sequentialUserStart, config.sequentialUserStart + config.stormUsers - 1);

export function couponStorm(): void {
  const userId = stormUser();
  call(
    COUPON_CONTRACT, 'coupon.issue', 'POST', `${config.baseUrl}/api/coupons/${config.couponId}/issue`, { userId },
    { timeout: config.requestTimeout, name: 'POST /api/coupons/{id}/issue' },
    { enabled: config.opsLog, fields: (c, status) => ({ coupon: config.couponId, user: userId, status, reason: c.reason }) },
  );
}

export function orderStorm(): void {
  placeOrder(config, stormUser(), `storm-${exec.vu.idInTest}-${exec.vu.iterationInScenario}-${Date.now()}`);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config.summaryJson, `perf-lab storm / ${profile.name}: ${profile.description}`);
}
