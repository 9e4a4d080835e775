import type { Redis } from 'ioredis';

export type LockLossReason = 'lease-expired' | 'renewal-failed';

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly reason: LockLossReason) {
    super(`the lock was lost (${reason})`);
  }
}

/**
 * One acquisition of a DistributedLock: its fencing token, a watchdog that renews the lease
 * while the work runs, and an AbortSignal (node-redlock's idea) that fires once the lease
 * can no longer be vouched for. `release()` never throws: a release that fails in a
 * `finally` must not replace the real outcome of the work (node-redlock's issue) — the lease
 * will end on its own.
 */
export class LockHandle {
  // Created on first use of `signal` or on a loss: most orders never look at it, and an
  // AbortController per order was measurable on the order path.
  #controller: AbortController | null = null;
  /** Set once the lock is lost; never cleared. */
  #lossReason: LockLostError | null = null;
  #timer: NodeJS.Timeout | null = null;
  #extending = false;
  #released = false;
  /** When the current lease started, by our clock, taken before the request left (conservative). */
  #leaseStartedAt: number;
  #fence: number;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly fenceKey: string,
    readonly token: string,
    fence: number,
    private readonly leaseMs: number,
    leaseStartedAt: number,
    /** Compare-and-delete of this lock in Redis: true when it was still ours (see DistributedLock). */
    private readonly releaseInRedis: () => Promise<boolean>,
  ) {
    this.#fence = fence;
    this.#leaseStartedAt = leaseStartedAt;
  }

  /** The fencing token: every write made under this lock must be refused once a larger one wrote. */
  get fence(): number {
    return this.#fence;
  }

  /**
   * When MySQL holds a larger fence than Redis could hand out while we still hold the lock,
   * the Redis counter was lost (nobody else can have written since we acquired). Lifts it
   * past `floor` and takes the next token. false: the lock is no longer ours.
   */
  async raiseFence(floor: number): Promise<boolean> {
    const fence = await this.redis.orderLockRaiseFence(this.key, this.fenceKey, this.token, String(floor));
    if (fence === 0) return false;
    this.#fence = fence;
    return true;
  }

  /** Aborted when renewal found the lock gone or could not reach Redis for a whole lease. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#lossReason && !this.#controller.signal.aborted) this.#controller.abort(this.#lossReason);
    return this.#controller.signal;
  }

  /**
   * True while the lease is still ours by our own clock: checked just before COMMIT, it turns
   * most late holders away cheaply. It cannot catch a pause between the check and the COMMIT;
   * the fencing token in MySQL does.
   */
  isHeld(now: number = Date.now()): boolean {
    return !this.#released && this.#lossReason === null && now < this.#leaseStartedAt + this.leaseMs;
  }

  /**
   * Renews at a third of the lease (Redisson's watchdog ratio): two renewals can fail or be
   * delayed before the lease runs out, and the load on Redis stays small.
   */
  startRenewal(): void {
    if (this.#timer || this.#released) return;
    this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(this.leaseMs / 3)));
    // A pending renewal must not keep a process alive that is otherwise done.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    if (this.#extending || this.#released) return;
    this.#extending = true;
    const sentAt = Date.now();
    try {
      const extended = await this.redis.orderLockExtend(this.key, this.token, String(this.leaseMs));
      if (extended === 1) this.#leaseStartedAt = sentAt;
      else this.#lose('lease-expired');
    } catch {
      // Redis unreachable: keep trying while the current lease lasts, then give the lock up.
      if (Date.now() >= this.#leaseStartedAt + this.leaseMs) this.#lose('renewal-failed');
    } finally {
      this.#extending = false;
    }
  }

  #lose(reason: LockLossReason): void {
    this.#stopRenewal();
    if (this.#lossReason) return;
    this.#lossReason = new LockLostError(reason);
    this.#controller?.abort(this.#lossReason);
  }

  #stopRenewal(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** True when our lock was deleted; false when it had already expired, been taken, or Redis failed. */
  async release(): Promise<boolean> {
    if (this.#released) return false;
    this.#released = true;
    this.#stopRenewal();
    try {
      return await this.releaseInRedis();
    } catch {
      return false;
    }
  }
}
