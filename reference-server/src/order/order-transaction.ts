import { LEDGER_TYPES, ORDER_AGGREGATE, ORDER_PAID_EVENT, ORDER_PAID_STATUS, orderPaidPayload, type OrderPaidStatus } from '@perf-lab/contract';
import { AppError } from '../errors.ts';
import { couponDiscount, normaliseLines, requestHash } from './order-request.ts';
import type { OrderRequest } from './order-request.ts';
import { insertLedgerRowAtBalance } from './repositories/balance-history-repository.ts';
import { clearCart, findCartItems, lockCart } from './repositories/cart-repository.ts';
import { findOrderByIdempotencyKey, insertOrder, insertOrderItems, insertPayment } from './repositories/order-repository.ts';
import { insertOutboxEvent } from './repositories/outbox-repository.ts';
import { decrementStock, productPrices, whyNotDecremented } from './repositories/product-repository.ts';
import { findHeldCouponForUpdate, markCouponUsed } from './repositories/user-coupon-repository.ts';
import { claimFenceAndDebit, userExists, whyNotDebited } from './repositories/user-repository.ts';
import { RetryTransaction } from '../db/transaction.ts';
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
 * Reads first (replay, cart, prices, the held coupon), then the writes in one lock order for
 * every order — the user's cart row, the user's coupon row, the users row (fence claim and
 * debit in one statement), products by ascending id — so orders cannot deadlock each other.
 * The products come last because every order shares them: each is locked for the last
 * statements and the COMMIT only, not the whole transaction. A stale fence still writes
 * nothing: the users row refuses it before any other write, and the whole transaction rolls back.
 */
export async function runOrderTransaction(tx: Tx, req: OrderRequest, guard: FenceGuard | null): Promise<PlacedOrder> {
  const { userId } = req;
  const hash = req.idempotencyKey === null ? null : requestHash(req);
  if (req.idempotencyKey !== null) {
    const earlier = await findOrderByIdempotencyKey(tx, userId, req.idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { receipt: { orderId: earlier.orderId, status: ORDER_PAID_STATUS, paidAmount: earlier.paidAmount }, replayed: true };
    }
  }

  const cartId = req.items === null ? await lockCart(tx, userId) : null;
  const lines = normaliseLines(req.items ?? (cartId === null ? [] : await findCartItems(tx, cartId)));
  if (lines.length === 0) throw await unlessNoUser(tx, userId, new AppError('EMPTY_ORDER'));

  // Prices by a plain read: the products are every order's shared hot rows, so they are
  // locked last (the decrements below), held from there to COMMIT only.
  const prices = await productPrices(tx, lines.map((l) => l.productId));
  const missing = lines.find((l) => !prices.has(l.productId));
  if (missing) throw await unlessNoUser(tx, userId, new AppError('PRODUCT_NOT_FOUND', `product ${missing.productId}: no such product`));
  const priced = lines.map((l) => ({ ...l, unitPrice: prices.get(l.productId) ?? 0 }));
  const totalAmount = priced.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  // Past 2^53 the sum above is already rounded: refuse rather than charge a wrong amount.
  if (!Number.isSafeInteger(totalAmount)) throw new AppError('AMOUNT_OUT_OF_RANGE', 'the order total is beyond 2^53 - 1');

  const coupon = req.couponId === null ? null : await findHeldCouponForUpdate(tx, userId, req.couponId);
  if (req.couponId !== null && !coupon) throw await unlessNoUser(tx, userId, new AppError('COUPON_NOT_OWNED'));
  if (coupon && coupon.usedOrderId !== null) throw new AppError('COUPON_ALREADY_USED');
  const discountAmount = coupon ? couponDiscount(totalAmount, coupon.discountAmount) : 0;
  const paidAmount = totalAmount - discountAmount;

  const fence = guard ? guard.fence : null;
  if (!(await claimFenceAndDebit(tx, userId, fence, paidAmount))) {
    const why = await whyNotDebited(tx, userId, fence);
    if (why.reason === 'no-user') throw new AppError('USER_NOT_FOUND');
    // A newer lock holder has already written: our lease ended while we were not looking.
    if (why.reason === 'stale-fence') throw new StaleFenceError(fence ?? 0, why.current);
    throw new AppError('INSUFFICIENT_BALANCE');
  }

  let orderId: number;
  try {
    orderId = await insertOrder(tx, {
      userId,
      totalAmount,
      discountAmount,
      paidAmount,
      couponId: req.couponId,
      idempotencyKey: req.idempotencyKey,
      requestHash: hash,
    });
  } catch (err) {
    // Scope `none` only: a concurrent request with the same key committed first. Re-running
    // the transaction finds its order and answers the replay.
    if ((err as { errno?: number }).errno === 1062) throw new RetryTransaction('idempotency key taken concurrently', { cause: err });
    throw err;
  }
  await insertOrderItems(tx, orderId, priced);
  if (coupon && !(await markCouponUsed(tx, coupon.userCouponId, orderId))) throw new AppError('COUPON_ALREADY_USED');

  // One payment per order, so the order id makes a transaction id that can never repeat.
  const transactionId = `order:${orderId}`;
  await insertLedgerRowAtBalance(tx, { transactionId, userId, amount: -paidAmount, type: LEDGER_TYPES.payment, orderId });
  await insertPayment(tx, orderId, userId, paidAmount, transactionId);
  if (cartId !== null) await clearCart(tx, cartId);

  await insertOutboxEvent(tx, {
    aggregateType: ORDER_AGGREGATE,
    aggregateId: String(orderId),
    type: ORDER_PAID_EVENT,
    payload: orderPaidPayload({ orderId, userId, totalAmount, discountAmount, paidAmount, couponId: req.couponId, items: priced }),
  });

  // Last: the hot rows (ascending id, see normaliseLines) are held only from here to COMMIT.
  for (const line of priced) {
    if (!(await decrementStock(tx, line.productId, line.quantity, line.unitPrice))) {
      const why = await whyNotDecremented(tx, line.productId, line.unitPrice);
      // A price change between the read and the decrement: price the order again.
      if (why === 'price-changed') throw new RetryTransaction(`the price of product ${line.productId} changed during the order`);
      throw new AppError(why === 'no-product' ? 'PRODUCT_NOT_FOUND' : 'INSUFFICIENT_STOCK', `product ${line.productId}: ${why === 'no-product' ? 'no such product' : 'not enough stock'}`);
    }
  }

  if (guard && !guard.isHeld()) throw new AppError('LOCK_LOST');
  return { receipt: { orderId, status: ORDER_PAID_STATUS, paidAmount }, replayed: false };
}

/** A request for a user that does not exist hears USER_NOT_FOUND before anything about its content. */
async function unlessNoUser(tx: Tx, userId: number, err: AppError): Promise<AppError> {
  return (await userExists(tx, userId)) ? err : new AppError('USER_NOT_FOUND');
}
