import type { CouponRedis } from './coupon-redis.ts';
import type { IssueRequestPublisher } from './issue-request-publisher.ts';

export interface PendingSweeperOptions {
  readonly couponRedis: CouponRedis;
  readonly publisher: IssueRequestPublisher;
  /** A reservation pending longer than this is presumed to have lost its message. */
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly onError?: (err: unknown) => void;
  readonly onResent?: (count: number) => void;
}

/**
 * How often a sweep also walks the keyspace for pending hashes the index does not list (written
 * by a server from before the index): seldom, because the order lock's fence counters make the
 * keyspace large, and an every-second SCAN of it was most of an idle server's Redis traffic.
 */
const FULL_SCAN_INTERVAL_MS = 60_000;

/**
 * Finds reservations whose request never reached Kafka (the process died with the produce
 * queued, or every send failed) and sends that very request again. Re-sending is always safe:
 * the consumer applies a request id once and settles only the reservation that request made,
 * so a copy of a message that did land changes nothing. A stranded reservation is therefore
 * issued or released by the consumer within timeoutMs + intervalMs of its creation (or of
 * Kafka coming back), plus the consumer's lag. Every server process sweeps; concurrent
 * sweeps only send harmless copies.
 */
export class PendingSweeper {
  #timer: NodeJS.Timeout | null = null;
  #scannedAt = Number.NEGATIVE_INFINITY;
  #sweep: Promise<void> | null = null;

  constructor(private readonly options: PendingSweeperOptions) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      // One sweep at a time: a slow Kafka must not pile sweeps up.
      this.#sweep ??= this.sweepOnce()
        .then((n) => n > 0 && this.options.onResent?.(n), this.options.onError)
        .finally(() => (this.#sweep = null))
        .then(() => undefined);
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#sweep;
  }

  /** One pass over every coupon's pending reservations; returns how many it re-sent. */
  async sweepOnce(now: number = Date.now()): Promise<number> {
    const { couponRedis, publisher, timeoutMs } = this.options;
    let resent = 0;
    const scan = now - this.#scannedAt >= FULL_SCAN_INTERVAL_MS;
    const coupons = await couponRedis.couponsWithPending(scan);
    // Only once it succeeded: a scan that failed is tried again on the next sweep.
    if (scan) this.#scannedAt = now;
    for (const couponId of coupons) {
      const stale = (await couponRedis.pending(couponId)).filter((p) => now - p.sinceMs >= timeoutMs);
      await Promise.all(
        stale.map(async (p) => {
          const { requestId, userId } = p;
          await publisher.publish({ requestId, couponId, userId, requestedAt: new Date(p.sinceMs).toISOString() });
          // Only after the broker's ack: an entry whose send failed is tried again next tick.
          if (await couponRedis.touchPending(couponId, p, Date.now())) resent += 1;
        }),
      );
    }
    return resent;
  }
}
