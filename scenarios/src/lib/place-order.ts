import http from 'k6/http';
import { fillText, formatId, valueAt } from '@perf-lab/contract';
import type { ScenarioConfig } from './config.ts';
import { call } from './http-call.ts';

/** On a share of orders, the first unused coupon the user holds (one extra GET, tagged apart). */
function pickCoupon(config: ScenarioConfig, user: string | number): string | number | undefined {
  if (Math.random() >= config.orderCouponRate) return undefined;
  const list = config.api.couponList;
  // Not an operation under test: its failures only mean this order goes without a coupon.
  const res = http.get(`${config.baseUrl}${fillText(list.path, { user })}`, {
    timeout: config.requestTimeout, tags: { name: `GET ${list.path}`, operation: 'coupon.list' },
  });
  if (res.status !== 200 || typeof res.body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(res.body);
    const found = valueAt(parsed, list.listField);
    const coupons = Array.isArray(found) ? found : Array.isArray(parsed) ? parsed : [];
    for (const c of coupons) {
      const used = valueAt(c, list.usedField);
      const id = valueAt(c, list.couponIdField);
      if ((used === null || used === undefined) && (typeof id === 'number' || typeof id === 'string')) return id;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The contract's order creation for seeded user n, classified and logged in the system's own ids. */
export function placeOrder(config: ScenarioConfig, userNumber: number, idempotencyKey: string): void {
  const order = config.api.orderCreate;
  const user = formatId(config.api.ids.user, userNumber);
  const coupon = pickCoupon(config, user);
  call(config, order, 'order.create', { user, key: idempotencyKey }, coupon === undefined ? {} : { [order.couponField]: coupon }, {
    fields: (c, status, body) => ({
      user, status, reason: c.reason, order: c.outcome === 'ack' ? orderIdOf(body, order.orderIdField) : undefined, key: idempotencyKey, coupon,
    }),
  });
}

function orderIdOf(body: string, field: string): string | number | undefined {
  try {
    const id = valueAt(JSON.parse(body), field);
    return typeof id === 'number' || typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
