import http from 'k6/http';
import { ORDER_CONTRACT } from './classify.ts';
import type { ScenarioConfig } from './config.ts';
import { call, callFields } from './http-call.ts';
import { logOp } from './op-log.ts';

interface OwnedCoupon {
  readonly couponId: number;
  /** The order that spent it; null while the coupon can still be used. */
  readonly usedOrderId?: number | null;
}

/** On a share of orders, the first unused coupon the user holds (one extra GET, tagged apart). */
async function pickCoupon(config: ScenarioConfig, userId: number): Promise<number | undefined> {
  if (Math.random() >= config.orderCouponRate) return undefined;
  // Not an operation under test: its failures only mean this order goes without a coupon.
  const res = await http.asyncRequest('GET', `${config.baseUrl}/api/users/${userId}/coupons`, null, {
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
export async function placeOrder(config: ScenarioConfig, userId: number, idempotencyKey: string): Promise<void> {
  const couponId = await pickCoupon(config, userId);
  const result = await call(
    ORDER_CONTRACT, 'order.create', 'POST', `${config.baseUrl}/api/orders`,
    couponId === undefined ? { userId, fromCart: true } : { userId, fromCart: true, couponId },
    { timeout: config.requestTimeout, name: 'POST /api/orders', headers: { 'Idempotency-Key': idempotencyKey } },
  );
  const { classification: c, body } = result;
  let orderId: number | undefined;
  if (c.outcome === 'ack') {
    try {
      orderId = (JSON.parse(body) as { orderId?: number }).orderId;
    } catch {
      orderId = undefined;
    }
  }
  logOp(config.opsLog, 'order.create', c.outcome, { user: userId, ...callFields(result), order: orderId, key: idempotencyKey, coupon: couponId });
}
