import { orderLockKeys } from '@perf-lab/contract';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import type { DistributedLock } from './lock/distributed-lock.ts';
import type { LockHandle } from './lock/lock-handle.ts';
import type { OrderConfig } from '../config.ts';
import type { OrderRequest } from './order-request.ts';
import { runOrderTransaction, StaleFenceError } from './order-transaction.ts';
import type { FenceGuard, PlacedOrder } from './order-transaction.ts';
import { withTransaction } from '../db/transaction.ts';

export interface OrderServiceDeps {
  readonly pool: Pool;
  /** null when the scope is `none`. */
  readonly lock: DistributedLock | null;
  readonly config: Pick<OrderConfig, 'lockScope' | 'txRetries'> & Partial<Pick<OrderConfig, 'testHolderPauseMs'>>;
  readonly keyPrefix: string;
  /** After an order committed (not a replay): its outbox event is waiting for the relay. */
  readonly onPaid?: () => void;
}

/**
 * Lock → one transaction → release: the seed's flow. The lock's job is throughput and
 * politeness (one order per user at a time, so a double-click does not race itself); the
 * correctness lives in MySQL — conditional UPDATEs, UNIQUE keys and the fencing token.
 */
export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  async place(req: OrderRequest): Promise<PlacedOrder> {
    const placed = await this.#place(req);
    if (!placed.replayed) this.deps.onPaid?.();
    return placed;
  }

  async #place(req: OrderRequest): Promise<PlacedOrder> {
    const keys = orderLockKeys(this.deps.keyPrefix, this.deps.config.lockScope, req.userId);
    if (!keys || !this.deps.lock) return this.#transact(req, null);
    // Tests only: a holder that stalls past its lease, its watchdog stalled with it (see config).
    const stallMs = this.deps.config.testHolderPauseMs ?? 0;
    let acquired;
    try {
      acquired = await this.deps.lock.acquire(keys, stallMs > 0 ? { renew: false } : {});
    } catch (err) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'the order lock (Redis) is unreachable; nothing was charged', { cause: err });
    }
    // The modelled system answered 500 here; a busy lock is the client's cue to retry, a 409.
    if (!acquired.acquired) throw new AppError('LOCK_TIMEOUT');
    const { lock } = acquired;
    try {
      if (stallMs > 0) await new Promise((resolve) => setTimeout(resolve, stallMs));
      try {
        return await this.#transact(req, lock);
      } catch (err) {
        // Refused as stale although the lock is still ours: Redis lost the fence counter.
        // Repair it once and go again; if the lock is gone, LOCK_LOST is the true answer.
        if (!(err instanceof StaleFenceError) || !lock.isHeld() || !(await this.#raise(lock, err.current))) throw err;
        return await this.#transact(req, lock);
      }
    } finally {
      // Never throws (see LockHandle): the order's outcome is what the client must hear.
      await lock.release();
    }
  }

  async #raise(lock: LockHandle, floor: number): Promise<boolean> {
    try {
      return await lock.raiseFence(floor);
    } catch {
      return false;
    }
  }

  #transact(req: OrderRequest, guard: FenceGuard | null): Promise<PlacedOrder> {
    return withTransaction(this.deps.pool, (tx) => runOrderTransaction(tx, req, guard), {
      retries: this.deps.config.txRetries,
      // From the cart: READ COMMITTED, so reading the lines after locking the cart row sees
      // every add committed before that lock (see lockCart). Explicit items need nothing
      // beyond the session default, and skipping the SET saves a round trip per order.
      ...(req.items === null ? { isolation: 'READ COMMITTED' as const } : {}),
    });
  }
}
