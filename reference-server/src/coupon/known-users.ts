import type { Queryable } from '../db/transaction.ts';
import { GroupCommit } from '../group-commit.ts';
import { existingUsers, existingUsersBetween } from '../order/repositories/user-repository.ts';

/** Long enough that a load test reads each block about once; short enough that a reseed
 * (which may drop users) is seen within a minute. */
const FORGET_AFTER_MS = 60_000;
/** Ids per block: one range read of at most this many primary-key entries, 512 bytes of bits. */
const BLOCK_IDS = 4096;
/** 8 MB of bits at most: the seed's 150,000 users take 37 blocks. */
const MAX_BLOCKS = 16_384;
/** Ids per confirming statement: a few KB of SQL, far under max_allowed_packet. */
const MAX_LOOKUP = 1000;

/**
 * "Does this user exist?" for the coupon hot path: an issue to a nonexistent user is a 404
 * that reserves nothing, but one primary-key lookup per request would cost the redis-kafka
 * path the MySQL round trip it exists to avoid — and batching those lookups still cost a
 * statement per few dozen requests of a load where every user asks once. So users are read
 * a block of ids at a time (one range read answers 4,096 ids) and kept as bits. A bit that is
 * not set may be a user created since its block was read: that id alone is asked again
 * (grouped with others asked at the same time), so only unknown ids cost a statement each.
 * The server never deletes users; a reseed that drops some is seen when the blocks are
 * forgotten, every minute.
 */
export class KnownUsers {
  /** Block number → its bits, or the read that will give them. */
  #blocks = new Map<number, Uint8Array | Promise<Uint8Array>>();
  #forgetAt = Date.now() + FORGET_AFTER_MS;
  readonly #confirm: GroupCommit<number, boolean>;

  constructor(private readonly db: Queryable) {
    this.#confirm = new GroupCommit(async (ids) => {
      const found = await existingUsers(this.db, [...new Set(ids)]);
      return ids.map((id) => found.has(id));
    }, MAX_LOOKUP);
  }

  async exists(userId: number): Promise<boolean> {
    if (Date.now() > this.#forgetAt || this.#blocks.size >= MAX_BLOCKS) {
      this.#blocks.clear();
      this.#forgetAt = Date.now() + FORGET_AFTER_MS;
    }
    const block = Math.floor(userId / BLOCK_IDS);
    const offset = userId - block * BLOCK_IDS;
    let bits = this.#blocks.get(block) ?? this.#read(block);
    if (!(bits instanceof Uint8Array)) bits = await bits;
    if ((bits[offset >> 3]! & (1 << (offset & 7))) !== 0) return true;
    const found = await this.#confirm.submit(userId);
    if (found) bits[offset >> 3]! |= 1 << (offset & 7);
    return found;
  }

  #read(block: number): Promise<Uint8Array> {
    const first = block * BLOCK_IDS;
    const reading = existingUsersBetween(this.db, first, first + BLOCK_IDS).then(
      (ids) => {
        const bits = new Uint8Array(BLOCK_IDS / 8);
        for (const id of ids) bits[(id - first) >> 3]! |= 1 << ((id - first) & 7);
        if (this.#blocks.get(block) === reading) this.#blocks.set(block, bits);
        return bits;
      },
      (err: unknown) => {
        // Not remembered: the next question reads the block again.
        if (this.#blocks.get(block) === reading) this.#blocks.delete(block);
        throw err;
      },
    );
    this.#blocks.set(block, reading);
    return reading;
  }
}
