import http from 'k6/http';
import { ORDER_CONTRACT } from './classify.ts';
import type { ScenarioConfig } from './config.ts';
import { call } from './http-call.ts';

interface OwnedCoupon {
  readonly couponId: number;
  /** The order that spent it; null while the coupon can still be used. */
  readonly usedOrderId?: number | null;
}

/** On a share of orders, the first unused coupon the user holds (one extra GET, tagged apart). */
function pickCoupon(config: ScenarioConfig, userId: number): number | undefined {
  if (Math.random() >= config.orderCouponRate) return undefined;
  // Not an operation under test: its failures only mean this order goes without a coupon.
  const res = http.get(`${config.baseUrl}/api/users/${userId}/coupons`, {
    timeout: config.requestTimeout, tags: { name: 'GET /api/users/{id}/coupons', operation: 'coupon.list' },
  });
  if (res.status !== 200 || typeof res.body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(res.body) as { coupons?: OwnedCoupon[] } | OwnedCoupon[];
    const list = Array.isArray(parsed) ? parsed : parsed.coupons ?? [];
    return list.find((c) => c.usedOrderId === null || c.usedOrderId === undefined)?.couponId;
  } catch {
    return undefined;
  }
}

/** POST /api/orders from the cart with an Idempotency-Key, classified and logged for the audit. */
export function placeOrder(config: ScenarioConfig, userId: number, idempotencyKey: string): void {
  const couponId = pickCoupon(config, userId);
  call(
    ORDER_CONTRACT, 'order.create', 'POST', `${config.baseUrl}/api/orders`,
    couponId === undefined ? { userId, fromCart: true } : { userId, fromCart: true, couponId },
    { timeout: config.requestTimeout, name: 'POST /api/orders', headers: { 'Idempotency-Key': idempotencyKey } },
    {
      enabled: config.opsLog,
      fields: (c, status, body) => ({ user: userId, status, reason: c.reason, order: c.outcome === 'ack' ? orderIdOf(body) : undefined, key: idempotencyKey, coupon: couponId }),
    },
  );
}

function orderIdOf(body: string): number | undefined {
  try {
    const id = (JSON.parse(body) as { orderId?: unknown }).orderId;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}
