import { createHash } from 'node:crypto';
import type { OrderLine } from './repositories/order-repository.ts';

/** What POST /api/orders asks for, after schema validation. */
export interface OrderRequest {
  readonly userId: number;
  /** Explicit lines, or null to order what is in the user's cart. */
  readonly items: readonly OrderLine[] | null;
  readonly couponId: number | null;
  readonly idempotencyKey: string | null;
}

/**
 * Merges repeated products and sorts by product id. Every transaction then row-locks
 * products in the same ascending order, so two orders can wait for each other but never in
 * a cycle: "A holds 1 wants 2, B holds 2 wants 1" cannot arise.
 */
export function normaliseLines(lines: readonly OrderLine[]): OrderLine[] {
  const byProduct = new Map<number, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => a.productId - b.productId);
}

/**
 * A fingerprint of what was ordered, stored with the Idempotency-Key: a replay must be the
 * same request, so a reused key with another body is refused rather than answered with an
 * order the client did not ask for. Line order and repeats do not change it.
 */
export function requestHash(req: OrderRequest): string {
  const canonical = JSON.stringify({
    items: req.items === null ? 'cart' : normaliseLines(req.items).map((l) => [l.productId, l.quantity]),
    couponId: req.couponId,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The flat discount rule (migration 016): coupons.discount_amount, never more than the total. */
export function couponDiscount(totalAmount: number, discountAmount: number): number {
  return Math.max(0, Math.min(totalAmount, discountAmount));
}
