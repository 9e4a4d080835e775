import type { Queryable } from '../db/transaction.ts';
import { existingUsers } from '../order/repositories/user-repository.ts';

/** Long enough that a load test asks MySQL about each user about once; short enough that a
 * reseed (which may drop users) is seen within a minute. */
const FORGET_AFTER_MS = 60_000;
/** ~40 MB at most; the seed's 150,000 users fit many times over. */
const MAX_REMEMBERED = 1_000_000;

interface Waiter {
  resolve(exists: boolean): void;
  reject(err: unknown): void;
}

/**
 * "Does this user exist?" for the coupon hot path: an issue to a nonexistent user is a 404
 * that reserves nothing, but a primary-key lookup per request would cost the redis-kafka path
 * the MySQL round trip it exists to avoid. So: a user seen once is remembered (the server
 * never deletes users; only positives, and only for a while), and the lookups of all
 * requests that arrive in the same event-loop turn go to MySQL as one `IN (…)` query.
 */
export class KnownUsers {
  #known = new Set<number>();
  #forgetAt = Date.now() + FORGET_AFTER_MS;
  #waiting = new Map<number, Waiter[]>();

  constructor(private readonly db: Queryable) {}

  exists(userId: number): Promise<boolean> {
    if (Date.now() > this.#forgetAt) {
      this.#known.clear();
      this.#forgetAt = Date.now() + FORGET_AFTER_MS;
    }
    if (this.#known.has(userId)) return Promise.resolve(true);
    return new Promise((resolve, reject) => {
      if (this.#waiting.size === 0) setImmediate(() => void this.#lookUp());
      const list = this.#waiting.get(userId) ?? [];
      list.push({ resolve, reject });
      this.#waiting.set(userId, list);
    });
  }

  async #lookUp(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = new Map();
    try {
      const found = await existingUsers(this.db, [...batch.keys()]);
      for (const [userId, waiters] of batch) {
        const exists = found.has(userId);
        if (exists && this.#known.size < MAX_REMEMBERED) this.#known.add(userId);
        for (const w of waiters) w.resolve(exists);
      }
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }
}
