import { readFileSync } from 'node:fs';
import { couponKeys, couponPendingIndexKey } from '@perf-lab/contract';
import type { CouponKeys } from '@perf-lab/contract';
import type { Redis, Result } from 'ioredis';
import { GroupCommit } from '../group-commit.ts';
import { groupBy } from '../group-by.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    couponReserve(issued: string, stock: string, soldOut: string, pending: string, pendingIndex: string, ...requests: string[]): Result<(number | string)[], Context>;
    couponInitStock(stock: string, soldOut: string, remaining: string): Result<string, Context>;
    couponSettle(issued: string, stock: string, soldOut: string, pending: string, pendingIndex: string, ...steps: string[]): Result<number[], Context>;
    couponPendingTouch(pending: string, userId: string, seen: string, entry: string): Result<number, Context>;
  }
}

export type ReserveOutcome = 'reserved' | 'already-issued' | 'sold-out' | 'stock-unknown' | 'pending';
const RESERVE_OUTCOMES: readonly ReserveOutcome[] = ['reserved', 'already-issued', 'sold-out', 'stock-unknown', 'pending'];

/**
 * 'reserved' and 'pending' carry the request the reservation belongs to: the new one, or
 * the earlier request of this user that is still pending (a retry re-sends that one).
 */
export type Reservation =
  | { readonly outcome: 'reserved' | 'pending'; readonly requestId: string }
  | { readonly outcome: 'already-issued' | 'sold-out' | 'stock-unknown' };

/** A reservation the consumer has not settled yet (coupon:pending:{id}). */
export interface PendingReservation {
  readonly userId: number;
  readonly requestId: string;
  readonly sinceMs: number;
  /** The raw entry, for the compare-and-set in touchPending. */
  readonly entry: string;
}

/**
 * One step of settling a committed batch in Redis (see coupon-settle.lua): issued, held by
 * this request already, held by another request (DB duplicate), DB sold out.
 */
export type SettleOp = 'issued' | 'already-held' | 'duplicate' | 'sold-out';
export interface SettleStep {
  readonly op: SettleOp;
  readonly userId: number;
  readonly requestId: string;
}
const SETTLE_CODES: Readonly<Record<SettleOp, string>> = { issued: 'c', 'already-held': 'a', duplicate: 'd', 'sold-out': 's' };

interface ReserveRequest {
  readonly couponId: number;
  readonly userId: number;
  readonly requestId: string;
  readonly nowMs: number;
}

/** Requests per script call: about 30 KB of arguments, and Redis is not held long. */
const MAX_RESERVE_BATCH = 500;

const lua = (name: string): string => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

/** Registers the scripts once per client; ioredis then runs them by EVALSHA (EVAL on NOSCRIPT). */
export function defineCouponCommands(redis: Redis): void {
  if (typeof redis.couponReserve === 'function') return;
  redis.defineCommand('couponReserve', { numberOfKeys: 5, lua: lua('coupon-reserve') });
  redis.defineCommand('couponInitStock', { numberOfKeys: 2, lua: lua('coupon-init-stock') });
  redis.defineCommand('couponSettle', { numberOfKeys: 5, lua: lua('coupon-settle') });
  redis.defineCommand('couponPendingTouch', { numberOfKeys: 1, lua: lua('coupon-pending-touch') });
}

/** The Redis half of the coupon system, bound to one client and key prefix. */
export class CouponRedis {
  /** Reservations asked for at the same time share one script call per coupon; a coupon's
   * failure is its own requests' (an Error in their place), not the whole batch's. */
  readonly #reserver = new GroupCommit<ReserveRequest, Reservation | Error>((batch) => this.#reserveBatch(batch), MAX_RESERVE_BATCH);

  readonly #pendingIndex: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    defineCouponCommands(redis);
    this.#pendingIndex = couponPendingIndexKey(prefix);
  }

  keys(couponId: number): CouponKeys {
    return couponKeys(this.prefix, couponId);
  }

  /**
   * `requestId` names the new reservation if one is made (see coupon-reserve.lua). Concurrent
   * calls for one coupon go to Redis together, one script call per batch (group-commit.ts):
   * per request, a script call was most of Redis's CPU and a good part of ours.
   */
  async reserve(couponId: number, userId: number, requestId: string, nowMs: number = Date.now()): Promise<Reservation> {
    const reservation = await this.#reserver.submit({ couponId, userId, requestId, nowMs });
    if (reservation instanceof Error) throw reservation;
    return reservation;
  }

  async #reserveBatch(batch: readonly ReserveRequest[]): Promise<(Reservation | Error)[]> {
    const out = new Array<Reservation | Error>(batch.length);
    const indexes = batch.map((_, i) => i);
    await Promise.all(
      [...groupBy(indexes, (i) => batch[i]!.couponId)].map(async ([couponId, mine]) => {
        try {
          const k = this.keys(couponId);
          const args = mine.flatMap((i) => [String(batch[i]!.userId), batch[i]!.requestId, String(batch[i]!.nowMs)]);
          const reply = await this.redis.couponReserve(k.issued, k.stock, k.soldOut, k.pending, this.#pendingIndex, ...args);
          const reservations = mine.map((_, j) => toReservation(reply[2 * j], reply[2 * j + 1]));
          mine.forEach((i, j) => (out[i] = reservations[j]!));
        } catch (err) {
          for (const i of mine) out[i] = err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    return out;
  }

  async initStock(couponId: number, remaining: number): Promise<void> {
    const k = this.keys(couponId);
    await this.redis.couponInitStock(k.stock, k.soldOut, String(remaining));
  }

  /**
   * Applies a committed batch's verdicts for one coupon, in order, atomically. Returns per step
   * whether it changed the stock (a lost reservation re-taken, a reservation given back).
   */
  async settle(couponId: number, steps: readonly SettleStep[]): Promise<boolean[]> {
    if (steps.length === 0) return [];
    const k = this.keys(couponId);
    const args = steps.flatMap((s) => [SETTLE_CODES[s.op], String(s.userId), s.requestId]);
    const changed = await this.redis.couponSettle(k.issued, k.stock, k.soldOut, k.pending, this.#pendingIndex, ...args);
    return changed.map((c) => c === 1);
  }

  /** Every pending reservation of one coupon. */
  async pending(couponId: number): Promise<PendingReservation[]> {
    const entries = await this.redis.hgetall(this.keys(couponId).pending);
    return Object.entries(entries).map(([user, entry]) => ({ userId: Number(user), entry, ...parseEntry(entry) }));
  }

  /**
   * Ids of the coupons that may have pending reservations, from the pending index the scripts
   * keep. `scan`: walk the keyspace instead (SCAN never blocks Redis, but it visits every key),
   * for pending hashes written without the index — by a server from before it existed.
   */
  async couponsWithPending(scan = false): Promise<number[]> {
    const pattern = this.keys(0).pending.replace(/0$/, '*');
    const idOf = (key: string) => Number(key.slice(pattern.length - 1));
    const ids = new Set((await this.redis.smembers(this.#pendingIndex)).map(idOf));
    if (scan) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        for (const key of keys) ids.add(idOf(key));
        cursor = next;
      } while (cursor !== '0');
    }
    return [...ids].filter((id) => Number.isSafeInteger(id) && id > 0);
  }

  /** Re-stamps an entry the sweeper re-sent, unless it changed meanwhile. */
  async touchPending(couponId: number, p: PendingReservation, nowMs: number): Promise<boolean> {
    return (await this.redis.couponPendingTouch(this.keys(couponId).pending, String(p.userId), p.entry, `${p.requestId}|${nowMs}`)) === 1;
  }

  /** In the set but not yet settled by the consumer (or in the set while the DB says nothing yet). */
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

function toReservation(code: number | string | undefined, entry: number | string | undefined): Reservation {
  const outcome = typeof code === 'number' ? RESERVE_OUTCOMES[code] : undefined;
  if (!outcome) throw new Error(`coupon-reserve script returned unknown code ${String(code)}`);
  if (outcome === 'reserved' || outcome === 'pending') return { outcome, requestId: parseEntry(String(entry)).requestId };
  return { outcome };
}

function parseEntry(entry: string): { requestId: string; sinceMs: number } {
  const bar = entry.lastIndexOf('|');
  return { requestId: entry.slice(0, bar), sinceMs: Number(entry.slice(bar + 1)) };
}
