import exec from 'k6/execution';
import { loadConfig } from './lib/config.ts';
import { issueCouponFor } from './lib/issue-coupon.ts';
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
const base = buildOptions(config, 'couponStorm', [config.api.couponIssue, config.api.orderCreate]);
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
  issueCouponFor(config, stormUser());
}

export function orderStorm(): void {
  placeOrder(config, stormUser(), `storm-${exec.vu.idInTest}-${exec.vu.iterationInScenario}-${Date.now()}`);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config.summaryJson, `perf-lab storm / ${profile.name}: ${profile.description}`);
}
