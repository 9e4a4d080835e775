import { readFileSync } from 'node:fs';
import { couponKeys } from '@perf-lab/contract';
import type { CouponKeys } from '@perf-lab/contract';
import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    couponReserve(issued: string, stock: string, soldOut: string, userId: string): Result<number, Context>;
    couponInitStock(stock: string, soldOut: string, remaining: string): Result<string, Context>;
    couponRelease(issued: string, stock: string, soldOut: string, userId: string, markSoldOut: '0' | '1'): Result<number, Context>;
    couponSettle(issued: string, stock: string, soldOut: string, ...opsAndUserIds: string[]): Result<number[], Context>;
  }
}

export type ReserveOutcome = 'reserved' | 'already-issued' | 'sold-out' | 'stock-unknown';
const RESERVE_OUTCOMES: readonly ReserveOutcome[] = ['reserved', 'already-issued', 'sold-out', 'stock-unknown'];

/** One step of settling a committed batch in Redis (see coupon-settle.lua). */
export type SettleStep =
  | { readonly userId: number; readonly op: 'confirm' }
  | { readonly userId: number; readonly op: 'release'; readonly markSoldOut: boolean };

const lua = (name: string): string => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

/** Registers the scripts once per client; ioredis then runs them by EVALSHA (EVAL on NOSCRIPT). */
export function defineCouponCommands(redis: Redis): void {
  if (typeof redis.couponReserve === 'function') return;
  redis.defineCommand('couponReserve', { numberOfKeys: 3, lua: lua('coupon-reserve') });
  redis.defineCommand('couponInitStock', { numberOfKeys: 2, lua: lua('coupon-init-stock') });
  redis.defineCommand('couponRelease', { numberOfKeys: 3, lua: lua('coupon-release') });
  redis.defineCommand('couponSettle', { numberOfKeys: 3, lua: lua('coupon-settle') });
}

/** The Redis half of the coupon system, bound to one client and key prefix. */
export class CouponRedis {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    defineCouponCommands(redis);
  }

  keys(couponId: number): CouponKeys {
    return couponKeys(this.prefix, couponId);
  }

  async reserve(couponId: number, userId: number): Promise<ReserveOutcome> {
    const k = this.keys(couponId);
    const code = await this.redis.couponReserve(k.issued, k.stock, k.soldOut, String(userId));
    const outcome = RESERVE_OUTCOMES[code];
    if (!outcome) throw new Error(`coupon-reserve script returned unknown code ${code}`);
    return outcome;
  }

  async initStock(couponId: number, remaining: number): Promise<void> {
    const k = this.keys(couponId);
    await this.redis.couponInitStock(k.stock, k.soldOut, String(remaining));
  }

  /** True when a reservation was actually given back (false: it already had been). */
  async release(couponId: number, userId: number, markSoldOut: boolean): Promise<boolean> {
    const k = this.keys(couponId);
    return (await this.redis.couponRelease(k.issued, k.stock, k.soldOut, String(userId), markSoldOut ? '1' : '0')) === 1;
  }

  /**
   * Applies a committed batch's verdicts for one coupon, in order, atomically. Returns per step
   * whether it changed anything: a confirm that re-took a lost reservation, a release that
   * gave one back (false on a redelivery: already given back).
   */
  async settle(couponId: number, steps: readonly SettleStep[]): Promise<boolean[]> {
    if (steps.length === 0) return [];
    const k = this.keys(couponId);
    const args = steps.flatMap((s) => [s.op === 'confirm' ? 'c' : s.markSoldOut ? 's' : 'r', String(s.userId)]);
    const changed = await this.redis.couponSettle(k.issued, k.stock, k.soldOut, ...args);
    return changed.map((c) => c === 1);
  }

  async isPending(couponId: number, userId: number): Promise<boolean> {
    return (await this.redis.sismember(this.keys(couponId).issued, String(userId))) === 1;
  }

  async snapshot(couponId: number): Promise<{ stock: number | null; reserved: number; soldOut: boolean }> {
    const k = this.keys(couponId);
    const [stock, reserved, soldOut] = await Promise.all([
      this.redis.get(k.stock),
      this.redis.scard(k.issued),
      this.redis.exists(k.soldOut),
    ]);
    return { stock: stock === null ? null : Number(stock), reserved, soldOut: soldOut === 1 };
  }
}
