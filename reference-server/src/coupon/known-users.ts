import type { Queryable } from '../db/transaction.ts';
import { userExists } from '../order/repositories/user-repository.ts';

/** Long enough that a load test asks MySQL about each user about once; short enough that a
 * reseed (which may drop users) is seen within a minute. */
const FORGET_AFTER_MS = 60_000;
/** ~40 MB at most; the seed's 150,000 users fit many times over. */
const MAX_REMEMBERED = 1_000_000;

/**
 * "Does this user exist?" for the coupon hot path: an issue to a nonexistent user is a 404
 * that reserves nothing, but one primary-key lookup per request would cost the redis-kafka
 * path the MySQL round trip it exists to avoid. The server never deletes users, so a user
 * seen once is remembered (only positives, and only for a while).
 */
export class KnownUsers {
  #known = new Set<number>();
  #forgetAt = Date.now() + FORGET_AFTER_MS;

  constructor(private readonly db: Queryable) {}

  async exists(userId: number): Promise<boolean> {
    if (Date.now() > this.#forgetAt) {
      this.#known.clear();
      this.#forgetAt = Date.now() + FORGET_AFTER_MS;
    }
    if (this.#known.has(userId)) return true;
    if (!(await userExists(this.db, userId))) return false;
    if (this.#known.size < MAX_REMEMBERED) this.#known.add(userId);
    return true;
  }
}
