/**
 * The order outbox event: what the reference server's order transaction writes to
 * `outbox_events.payload` (its relay publishes that text as the Kafka message value), and what
 * the audit compares with the order the event belongs to (`order.events-match-orders`).
 */
export const ORDER_PAID_EVENT = 'OrderPaid';

/** One line of the order, one per product (the server merges repeated products). */
export interface OrderPaidLine {
  readonly productId: number;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** The amounts and ids are those of the `orders` row; the lines those of its `order_items`. */
export interface OrderPaidPayload {
  readonly orderId: number;
  readonly userId: number;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly couponId: number | null;
  readonly items: readonly OrderPaidLine[];
}

/** The payload's scalar fields, in the order the server writes them (`items` follows). */
export const ORDER_PAID_FIELDS = [
  'orderId', 'userId', 'totalAmount', 'discountAmount', 'paidAmount', 'couponId',
] as const satisfies readonly (keyof OrderPaidPayload)[];

/**
 * The payload exactly as the contract shapes it: only its own fields, whatever else the
 * caller's objects carry (a priced line with more properties), so the JSON written is the
 * shape the audit reads.
 */
export function orderPaidPayload(order: OrderPaidPayload): OrderPaidPayload {
  return {
    orderId: order.orderId,
    userId: order.userId,
    totalAmount: order.totalAmount,
    discountAmount: order.discountAmount,
    paidAmount: order.paidAmount,
    couponId: order.couponId,
    items: order.items.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
  };
}
