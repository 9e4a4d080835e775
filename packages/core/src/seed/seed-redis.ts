import type { Redis } from 'ioredis';
import { couponKeys, couponPendingIndexKey } from '@perf-lab/contract';
import { FIRST_COME_COUPON_ID, ORDER_COUPON_ID, type SeedPlan } from './seed-plan.ts';

/**
 * Stock counters at total − issued, dedupe sets holding exactly the users who hold the
 * coupon, and no stale sold-out flag — all through one pipeline per coupon.
 * With `keep`, counters are left as they are (they already track the data kept).
 */
export async function seedRedis(redis: Redis, prefix: string, plan: SeedPlan): Promise<void> {
  if (plan.keep) return;
  const first = couponKeys(prefix, FIRST_COME_COUPON_ID);
  const second = couponKeys(prefix, ORDER_COUPON_ID);
  const pipeline = redis.multi();
  // Pending reservations too: the server re-sends old ones, which would issue into the fresh data.
  pipeline.del(first.issued, first.soldOut, first.pending, second.issued, second.soldOut, second.pending);
  pipeline.srem(couponPendingIndexKey(prefix), first.pending, second.pending);
  pipeline.set(first.stock, String(plan.couponStock));
  if (plan.couponStock === 0) pipeline.set(first.soldOut, '1');
  for (let start = 1; start <= plan.orderCouponHolders; start += 5000) {
    const end = Math.min(plan.orderCouponHolders, start + 4999);
    pipeline.sadd(second.issued, ...Array.from({ length: end - start + 1 }, (_, i) => String(start + i)));
  }
  // Coupon 2 is fully held: its counter is 0 and it is sold out.
  pipeline.set(second.stock, '0');
  pipeline.set(second.soldOut, '1');
  await pipeline.exec();
}
