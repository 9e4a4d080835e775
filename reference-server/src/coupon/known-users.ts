import type { Queryable } from '../db/transaction.ts';
import { existingUsers } from '../order/repositories/user-repository.ts';

/** Long enough that a load test asks MySQL about each user about once; short enough that a
 * reseed (which may drop users) is seen within a minute. */
const FORGET_AFTER_MS = 60_000;
/** ~40 MB at most; the seed's 150,000 users fit many times over. */
const MAX_REMEMBERED = 1_000_000;
/** Ids per lookup statement: a few KB of SQL, far under max_allowed_packet. */
const MAX_LOOKUP = 1000;

interface Waiter {
  resolve(found: boolean): void;
  reject(err: unknown): void;
}

/**
 * "Does this user exist?" for the coupon hot path: an issue to a nonexistent user is a 404
 * that reserves nothing, but one primary-key lookup per request would cost the redis-kafka
 * path the MySQL round trip it exists to avoid. The server never deletes users, so a user
 * seen once is remembered (only positives, and only for a while). Users not remembered yet —
 * every request of a load where each user asks once — are looked up together: while one
 * lookup is in flight the next ids queue and go out as one `IN (…)` when it returns, so an
 * idle server adds no latency and a busy one makes one round trip per batch, not per request.
 */
export class KnownUsers {
  #known = new Set<number>();
  #forgetAt = Date.now() + FORGET_AFTER_MS;
  #waiting = new Map<number, Waiter[]>();
  #looking = false;

  constructor(private readonly db: Queryable) {}

  async exists(userId: number): Promise<boolean> {
    if (Date.now() > this.#forgetAt) {
      this.#known.clear();
      this.#forgetAt = Date.now() + FORGET_AFTER_MS;
    }
    if (this.#known.has(userId)) return true;
    const found = await new Promise<boolean>((resolve, reject) => {
      const waiters = this.#waiting.get(userId);
      if (waiters) waiters.push({ resolve, reject });
      else this.#waiting.set(userId, [{ resolve, reject }]);
      if (this.#looking) return;
      this.#looking = true;
      // Once this poll phase is done, not at once: the requests parsed in the same I/O round
      // then share the first lookup instead of the first going alone (see BatchedProducer).
      setImmediate(() => void this.#lookUp());
    });
    if (found && this.#known.size < MAX_REMEMBERED) this.#known.add(userId);
    return found;
  }

  async #lookUp(): Promise<void> {
    try {
      while (this.#waiting.size > 0) {
        const batch = [...this.#waiting].slice(0, MAX_LOOKUP);
        for (const [id] of batch) this.#waiting.delete(id);
        try {
          const found = await existingUsers(this.db, batch.map(([id]) => id));
          for (const [id, waiters] of batch) for (const w of waiters) w.resolve(found.has(id));
        } catch (err) {
          for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
        }
      }
    } finally {
      this.#looking = false;
    }
  }
}
