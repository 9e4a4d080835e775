import type { Redis } from 'ioredis';

/** One waiter's ticket: resolves on a release of its key or when its own timer runs out. */
export interface WakeUp {
  /** Waits at most `ms`; true when woken by a release, false when the timer ran out. */
  wait(ms: number): Promise<boolean>;
  cancel(): void;
}

interface Waiter {
  resolve: ((woken: boolean) => void) | null;
  timer: NodeJS.Timeout | null;
  /** Set when a release arrived before `wait` was called, so that wake-up is not lost. */
  pending: boolean;
}

/**
 * Release notifications over one pub/sub channel, so waiting for a lock costs no Redis
 * traffic at all. Each release wakes only the longest-waiting local waiter for that key
 * (not all of them): under the `global` scope hundreds of requests wait for one key, and
 * waking them all would turn every release into a stampede of failed acquire attempts.
 * Waiters also keep a jittered timer, which covers what pub/sub cannot promise: a message
 * lost while the subscriber reconnects, or a lease that simply expired without a release.
 */
export class LockWakeUps {
  readonly #waiters = new Map<string, Waiter[]>();
  #started = false;

  constructor(
    private readonly subscriber: Redis,
    readonly channel: string,
  ) {
    subscriber.on('message', (from: string, key: string) => {
      if (from === this.channel) this.#wakeOne(key);
    });
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.subscriber.subscribe(this.channel);
  }

  /**
   * Registers interest in `key` before the caller's acquire attempt: a release that lands
   * between a failed attempt and the wait then still wakes it.
   */
  listen(key: string): WakeUp {
    const waiter: Waiter = { resolve: null, timer: null, pending: false };
    const queue = this.#waiters.get(key) ?? [];
    queue.push(waiter);
    this.#waiters.set(key, queue);
    const remove = (): void => {
      const q = this.#waiters.get(key);
      if (!q) return;
      const i = q.indexOf(waiter);
      if (i >= 0) q.splice(i, 1);
      if (q.length === 0) this.#waiters.delete(key);
    };
    return {
      wait: (ms) => {
        if (waiter.pending) return Promise.resolve(true);
        return new Promise<boolean>((resolve) => {
          waiter.resolve = resolve;
          waiter.timer = setTimeout(() => {
            // Leave the queue now, so the next release goes to a waiter that is still waiting.
            remove();
            waiter.resolve = null;
            resolve(false);
          }, ms);
        });
      },
      cancel: () => {
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.resolve = null;
        remove();
      },
    };
  }

  #wakeOne(key: string): void {
    const queue = this.#waiters.get(key);
    const waiter = queue?.shift();
    if (!waiter) return;
    if (queue?.length === 0) this.#waiters.delete(key);
    if (waiter.timer) clearTimeout(waiter.timer);
    if (waiter.resolve) waiter.resolve(true);
    else waiter.pending = true;
    waiter.resolve = null;
  }

  /** Waiting requests fall back to their timers; the subscriber connection is the caller's to close. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
