/**
 * Redis key shapes, each built with the key prefix both programs are given (REF_REDIS_KEY_PREFIX
 * for the server, PERF_LAB_REDIS_KEY_PREFIX for perf-lab), so the audit reads exactly the keys
 * the server writes.
 */
import type { LockScope } from './server-settings.ts';

export interface CouponKeys {
  /** Set of user ids holding (or reserving) the coupon: the dedupe set. */
  readonly issued: string;
  /** Counter of coupons left. */
  readonly stock: string;
  /** Present once the coupon is sold out. */
  readonly soldOut: string;
  /**
   * Hash user id → `requestId|acceptedAtMs` of reservations whose request the consumer has
   * not settled yet; at rest (consumer caught up) it is empty: an entry older than that is a
   * stranded reservation, which the server re-sends.
   */
  readonly pending: string;
}

/** The shapes with `{coupon}` for the coupon id: the default Redis key patterns of perf-lab's schema map too. */
export const COUPON_KEY_PATTERNS: Readonly<Record<keyof CouponKeys, string>> = {
  issued: 'coupon:issued:{coupon}',
  stock: 'coupon:stock:{coupon}',
  soldOut: 'coupon:soldout:{coupon}',
  pending: 'coupon:pending:{coupon}',
};

export function couponKeys(prefix: string, couponId: number): CouponKeys {
  const key = (pattern: string) => `${prefix}${pattern.replace('{coupon}', String(couponId))}`;
  return {
    issued: key(COUPON_KEY_PATTERNS.issued),
    stock: key(COUPON_KEY_PATTERNS.stock),
    soldOut: key(COUPON_KEY_PATTERNS.soldOut),
    pending: key(COUPON_KEY_PATTERNS.pending),
  };
}

/**
 * Set of the pending-hash keys (`coupon:pending:{coupon}`) that may hold entries: the server's
 * sweeper reads it instead of scanning the keyspace, which the order lock's fence counters
 * (one per user who ever ordered) make large.
 */
export function couponPendingIndexKey(prefix: string): string {
  return `${prefix}coupon:pending-index`;
}

export interface OrderLockKeys {
  readonly lock: string;
  /** The fencing-token counter, next to its lock: a token only has to grow per lock. */
  readonly fence: string;
}

/**
 * The seed's shapes: `lock:order:user:{userId}` (TO-BE) and `lock:order:global` (AS-IS).
 * Scope `none` takes no lock at all.
 */
export function orderLockKeys(prefix: string, scope: LockScope, userId: number): OrderLockKeys | null {
  if (scope === 'none') return null;
  const lock = scope === 'global' ? `${prefix}lock:order:global` : `${prefix}lock:order:user:${userId}`;
  return { lock, fence: `${lock}:fence` };
}

/** Where lock releases are announced; one channel for all keys, so a process subscribes once. */
export function orderLockReleaseChannel(prefix: string): string {
  return `${prefix}lock:order:released`;
}
