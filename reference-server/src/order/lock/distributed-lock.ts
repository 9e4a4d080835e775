import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GroupCommit } from '../../group-commit.ts';
import { defineOrderLockCommands } from './lock-scripts.ts';
import { LockHandle } from './lock-handle.ts';
import type { LockWakeUps } from './lock-wake-ups.ts';

/** The lock key and the counter the acquire script INCRs into a fencing token (shapes: the contract). */
export type { OrderLockKeys as LockKeys } from '@perf-lab/contract';
import type { OrderLockKeys as LockKeys } from '@perf-lab/contract';

/** A busy lock is an expected outcome, so it is a value; only an unreachable Redis throws. */
export type AcquireResult = { readonly acquired: true; readonly lock: LockHandle } | { readonly acquired: false };

export interface LockOptions {
  readonly leaseMs: number;
  readonly waitMs: number;
}

export interface AcquireOptions {
  /**
   * false: no watchdog. For work known to finish well inside the lease — and for tests that
   * need a holder that "pauses" past its lease.
   */
  readonly renew?: boolean;
}

// Full-jitter exponential back-off between attempts (AWS's "Exponential Backoff and
// Jitter"): waiters that a release did not wake spread out instead of polling in step.
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 200;
/** Locks per script call: Redis is held a fraction of a millisecond. */
const MAX_BATCH = 500;

interface Attempt {
  readonly keys: LockKeys;
  readonly token: string;
}

/**
 * A single-Redis lease lock (SET NX PX) with compare-and-delete release, a watchdog, bounded
 * waiting on pub/sub wake-ups, and a fencing token per acquisition. Single instance on
 * purpose: Redlock's quorum buys little once every write is fenced in MySQL, and its
 * "quorum not reached" errors were a problem of their own (node-redlock's issue tracker).
 * Acquisitions and releases asked for at the same time (other users' orders) share one script
 * call each (group-commit.ts): two Redis round trips per order were a third of the order
 * path's CPU in this process and most of Redis's.
 */
export class DistributedLock {
  readonly #attempts: GroupCommit<Attempt, readonly [taken: number, value: number]>;
  readonly #releases: GroupCommit<Attempt, boolean>;

  constructor(
    private readonly redis: Redis,
    private readonly wakeUps: LockWakeUps,
    private readonly options: LockOptions,
  ) {
    defineOrderLockCommands(redis);
    this.#attempts = new GroupCommit(async (batch) => {
      const keys = batch.flatMap((a) => [a.keys.lock, a.keys.fence]);
      const reply = await redis.orderLockAcquire(keys.length, ...keys, String(options.leaseMs), ...batch.map((a) => a.token));
      return batch.map((_, i) => [reply[2 * i]!, reply[2 * i + 1]!] as const);
    }, MAX_BATCH);
    this.#releases = new GroupCommit(async (batch) => {
      const reply = await redis.orderLockRelease(batch.length, ...batch.map((a) => a.keys.lock), wakeUps.channel, ...batch.map((a) => a.token));
      return reply.map((released) => released === 1);
    }, MAX_BATCH);
  }

  async acquire(keys: LockKeys, opts: AcquireOptions = {}): Promise<AcquireResult> {
    const token = randomUUID();
    const { leaseMs, waitMs } = this.options;
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      const wake = this.wakeUps.listen(keys.lock);
      try {
        // The lease is counted from before the request left: the conservative end of it.
        const sentAt = Date.now();
        const [taken, value] = await this.#attempts.submit({ keys, token });
        if (taken === 1) {
          const release = () => this.#releases.submit({ keys, token });
          const lock = new LockHandle(this.redis, keys.lock, keys.fence, token, value, leaseMs, sentAt, release);
          if (opts.renew !== false) lock.startRenewal();
          return { acquired: true, lock };
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) return { acquired: false };
        const backoff = 1 + Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
        // value is the holder's remaining lease: no point sleeping past it. (-1, a lock without
        // TTL, cannot come from our scripts; the back-off then still bounds the polling.)
        const leaseLeft = value > 0 ? value + 1 : Number.POSITIVE_INFINITY;
        await wake.wait(Math.min(remaining, backoff, leaseLeft));
      } finally {
        wake.cancel();
      }
    }
  }
}
