import exec from 'k6/execution';
import { loadConfig } from './lib/config.ts';
import { randomInt, thinkSeconds } from './lib/random.ts';
import { buildOptions } from './lib/k6-options.ts';
import { placeOrder } from './lib/place-order.ts';
import { pause } from './lib/pause.ts';
import { summaryOutputs, type SummaryData } from './lib/summary.ts';

/**
 * Order/payment: POST /api/orders from the user's cart, with one of the user's unused coupons
 * on a share of orders. Sequential: distinct users in order; load/peak: random users. With
 * HOT_USERS=n every order goes to one of users 1..n: many at once for the same user, which is
 * what the per-user lock and its fencing token are for (across server instances too).
 */
const config = loadConfig('order', 'load');
const { profile } = config;

export const options = buildOptions(config, 'orderFromCart', [config.api.orderCreate]);

export function orderFromCart(): void {
  const userId = config.hotUsers !== undefined
    ? randomInt(1, config.hotUsers)
    : profile.load.executor === 'per-vu-iterations'
      ? config.sequentialUserStart + exec.scenario.iterationInTest
      : randomInt(config.userMin, config.userMax);
  placeOrder(config, userId, `${exec.vu.idInTest}-${exec.vu.iterationInScenario}-${Date.now()}`);
  pause(thinkSeconds(profile.thinkSeconds));
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config.summaryJson, `perf-lab order / ${profile.name}: ${profile.description}`);
}
