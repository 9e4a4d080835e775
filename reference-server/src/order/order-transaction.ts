import { LEDGER_TYPES, ORDER_AGGREGATE, ORDER_PAID_EVENT, ORDER_PAID_STATUS, orderPaidPayload, type OrderPaidStatus } from '@perf-lab/contract';
import { AppError } from '../errors.ts';
import { couponDiscount, normaliseLines, requestHash } from './order-request.ts';
import type { OrderRequest } from './order-request.ts';
import { insertLedgerRowAtBalance } from './repositories/balance-history-repository.ts';
import { cartLinesWithProducts, clearCart, lockCart } from './repositories/cart-repository.ts';
import { findOrderByIdempotencyKey, insertOrder, insertOrderItems, insertPayment, nextOrderId } from './repositories/order-repository.ts';
import { insertOutboxEvent } from './repositories/outbox-repository.ts';
import { decrementStock, productStates, whyNotDecremented } from './repositories/product-repository.ts';
import { findHeldCouponForUpdate, markCouponUsed } from './repositories/user-coupon-repository.ts';
import { claimFenceAndDebit, userExists, whyNotDebited } from './repositories/user-repository.ts';
import { isDuplicateKey, RetryTransaction } from '../db/transaction.ts';
import { StatementBatch } from '../db/statement.ts';
import { CommitBatch, WriteRefused } from '../db/commit-batch.ts';
import type { Tx } from '../db/transaction.ts';

export interface OrderReceipt {
  readonly orderId: number;
  readonly status: OrderPaidStatus;
  readonly paidAmount: number;
}

export interface PlacedOrder {
  readonly receipt: OrderReceipt;
  /** true: an earlier request with the same Idempotency-Key made this order. */
  readonly replayed: boolean;
}

/** What the lock contributes to the transaction; null under scope `none`. */
export interface FenceGuard {
  readonly fence: number;
  /** Checked right before COMMIT; false once the lease is gone by our clock or renewal failed. */
  isHeld(): boolean;
}

/**
 * The fencing check refused this transaction: MySQL has seen `current` ≥ our `fence`. A
 * client hears LOCK_LOST; the service first checks whether the Redis counter was lost instead.
 */
export class StaleFenceError extends AppError {
  constructor(
    readonly fence: number,
    readonly current: number,
  ) {
    // Says which guard refused: the fence, not our own clock (isHeld), stopped this write.
    super('LOCK_LOST', `the order lock expired and a later holder wrote with fencing token ${current} (this request held ${fence}); nothing was charged, retry`);
  }
}

/**
 * The seed's flow in one MySQL transaction; any failure throws and everything rolls back.
 * Two round trips: BEGIN with every read (replay, cart, prices, the held coupon, a new order
 * id), then every write with the COMMIT (a `CommitBatch`: a write that must change its row and
 * does not stops it before the COMMIT). The rows are locked in one order for every order — the
 * user's cart row, the user's coupon row, the users row (fence claim and debit in one
 * statement), products by ascending id — so orders cannot deadlock each other. The products
 * come last because every order shares them: each is held only from its decrement to the
 * COMMIT right behind it, inside one statement. A refused write is looked into inside the
 * still-open transaction, then everything rolls back, so a stale fence still writes nothing.
 */
export async function runOrderTransaction(tx: Tx, req: OrderRequest, guard: FenceGuard | null): Promise<PlacedOrder> {
  const { userId } = req;
  const hash = req.idempotencyKey === null ? null : requestHash(req);

  const reads = new StatementBatch();
  const earlier = req.idempotencyKey === null ? null : reads.add(findOrderByIdempotencyKey(userId, req.idempotencyKey));
  const cart = req.items === null ? reads.add(lockCart(userId)) : null;
  const cartLines = req.items === null ? reads.add(cartLinesWithProducts(userId)) : null;
  // Prices and stock by a plain read: the products are every order's shared hot rows, so they
  // are locked last (the decrements below), held from there to COMMIT only.
  const explicitProducts = req.items === null ? null : reads.add(productStates(normaliseLines(req.items).map((l) => l.productId)));
  const heldCoupon = req.couponId === null ? null : reads.add(findHeldCouponForUpdate(userId, req.couponId));
  const newOrderId = reads.add(nextOrderId());
  await reads.run(tx);

  const replayed = earlier?.();
  if (replayed) {
    if (replayed.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return { receipt: { orderId: replayed.orderId, status: ORDER_PAID_STATUS, paidAmount: replayed.paidAmount }, replayed: true };
  }

  const cartId = cart?.() ?? null;
  const fromCart = cartLines?.() ?? [];
  const lines = normaliseLines(req.items ?? fromCart);
  if (lines.length === 0) throw await unlessNoUser(tx, userId, new AppError('EMPTY_ORDER'));
  const products = explicitProducts?.() ?? new Map(fromCart.flatMap((l) => (l.product === null ? [] : [[l.productId, l.product] as const])));
  const missing = lines.find((l) => !products.has(l.productId));
  if (missing) throw await unlessNoUser(tx, userId, new AppError('PRODUCT_NOT_FOUND', `product ${missing.productId}: no such product`));
  const priced = lines.map((l) => ({ ...l, unitPrice: products.get(l.productId)?.price ?? 0 }));
  const totalAmount = priced.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  // Past 2^53 the sum above is already rounded: refuse rather than charge a wrong amount.
  if (!Number.isSafeInteger(totalAmount)) throw new AppError('AMOUNT_OUT_OF_RANGE', 'the order total is beyond 2^53 - 1');

  const coupon = heldCoupon?.() ?? null;
  if (req.couponId !== null && !coupon) throw await unlessNoUser(tx, userId, new AppError('COUPON_NOT_OWNED'));
  if (coupon && coupon.usedOrderId !== null) throw new AppError('COUPON_ALREADY_USED');
  const discountAmount = coupon ? couponDiscount(totalAmount, coupon.discountAmount) : 0;
  const paidAmount = totalAmount - discountAmount;
  // Sold out as last committed: refused before any write. After a sell-out almost every order
  // is this one, and writing it all to roll it back cost MariaDB twice the CPU per request at
  // the peak profile. The decrement below stays the guard against two buyers of the last unit.
  const short = priced.find((l) => (products.get(l.productId)?.stock ?? 0) < l.quantity);
  if (short) throw new AppError('INSUFFICIENT_STOCK', `product ${short.productId}: not enough stock`);
  // The COMMIT goes out with the writes, so the lease is checked before them (a lease that ends
  // while they run is what the fence in the users row is for). Gone: the client hears whether a
  // later holder has already written (the fence) or only our own clock ran out.
  if (guard && !guard.isHeld()) {
    const why = await whyNotDebited(tx, userId, guard.fence);
    if (why.reason === 'stale-fence') throw new StaleFenceError(guard.fence, why.current);
    throw new AppError(why.reason === 'no-user' ? 'USER_NOT_FOUND' : 'LOCK_LOST');
  }

  const fence = guard ? guard.fence : null;
  const orderId = newOrderId();
  // One payment per order, so the order id makes a transaction id that can never repeat.
  const transactionId = `order:${orderId}`;
  const writes = new CommitBatch();
  writes.require(claimFenceAndDebit(userId, fence, paidAmount), REFUSED.debit);
  writes.add(insertOrder({ id: orderId, userId, totalAmount, discountAmount, paidAmount, couponId: req.couponId, idempotencyKey: req.idempotencyKey, requestHash: hash }));
  writes.add(insertOrderItems(orderId, priced));
  if (coupon) writes.require(markCouponUsed(coupon.userCouponId, orderId), REFUSED.coupon);
  writes.add(insertLedgerRowAtBalance({ transactionId, userId, amount: -paidAmount, type: LEDGER_TYPES.payment, orderId }));
  writes.add(insertPayment(orderId, userId, paidAmount, transactionId));
  if (cartId !== null) writes.add(clearCart(cartId));
  writes.add(
    insertOutboxEvent({
      aggregateType: ORDER_AGGREGATE,
      aggregateId: String(orderId),
      type: ORDER_PAID_EVENT,
      payload: orderPaidPayload({ orderId, userId, totalAmount, discountAmount, paidAmount, couponId: req.couponId, items: priced }),
    }),
  );
  // Last: the hot rows (ascending id, see normaliseLines), held only from here to the COMMIT.
  for (const line of priced) writes.require(decrementStock(line.productId, line.quantity, line.unitPrice), REFUSED.stock(line.productId));

  try {
    await writes.commit(tx);
  } catch (err) {
    if (err instanceof WriteRefused) throw await whyRefused(tx, err.refusal, userId, fence, priced);
    // Scope `none` only: a concurrent request with the same key committed first. Re-running
    // the transaction finds its order and answers the replay.
    if (isDuplicateKey(err)) throw new RetryTransaction('idempotency key taken concurrently', { cause: err });
    throw err;
  }
  return { receipt: { orderId, status: ORDER_PAID_STATUS, paidAmount }, replayed: false };
}

/** The names a refused write goes by (CommitBatch.require), read back by whyRefused. */
const REFUSED = {
  debit: 'debit',
  coupon: 'coupon',
  stock: (productId: number) => `stock:${productId}`,
} as const;

/** What the client hears for a refused write, read inside the transaction that is still open. */
async function whyRefused(
  tx: Tx,
  refusal: string,
  userId: number,
  fence: number | null,
  priced: readonly { readonly productId: number; readonly unitPrice: number }[],
): Promise<Error> {
  if (refusal === REFUSED.debit) {
    const why = await whyNotDebited(tx, userId, fence);
    if (why.reason === 'no-user') return new AppError('USER_NOT_FOUND');
    // A newer lock holder has already written: our lease ended while we were not looking.
    if (why.reason === 'stale-fence') return new StaleFenceError(fence ?? 0, why.current);
    return new AppError('INSUFFICIENT_BALANCE');
  }
  // Cannot happen while the coupon row is locked since it was read unused; said plainly if it does.
  if (refusal === REFUSED.coupon) return new AppError('COUPON_ALREADY_USED');
  const line = priced.find((l) => refusal === REFUSED.stock(l.productId));
  if (!line) return new Error(`an order write was refused for an unknown reason: ${refusal}`);
  const why = await whyNotDecremented(tx, line.productId, line.unitPrice);
  // A price change between the read and the decrement: price the order again.
  if (why === 'price-changed') return new RetryTransaction(`the price of product ${line.productId} changed during the order`);
  return new AppError(why === 'no-product' ? 'PRODUCT_NOT_FOUND' : 'INSUFFICIENT_STOCK', `product ${line.productId}: ${why === 'no-product' ? 'no such product' : 'not enough stock'}`);
}

/** A request for a user that does not exist hears USER_NOT_FOUND before anything about its content. */
async function unlessNoUser(tx: Tx, userId: number, err: AppError): Promise<AppError> {
  return (await userExists(tx, userId)) ? err : new AppError('USER_NOT_FOUND');
}
