import { ORDER_PAID_STATUS } from '@perf-lab/contract';
import type { RowDataPacket } from 'mysql2/promise';
import type { Queryable } from '../../db/transaction.ts';
import { ignoreResult, rowsOf, type Statement } from '../../db/statement.ts';

export interface OrderLine {
  readonly productId: number;
  readonly quantity: number;
}

export interface NewOrder {
  /** From `nextOrderId`. */
  readonly id: number;
  readonly userId: number;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly couponId: number | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
}

export interface OrderSummary {
  readonly orderId: number;
  readonly userId: number;
  readonly status: string;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly couponId: number | null;
  readonly createdAt: string;
}

export interface OrderDetail extends OrderSummary {
  readonly items: readonly (OrderLine & { readonly unitPrice: number })[];
}

/** The order row is born PAID: it only ever exists inside a transaction that also pays for it. */
/**
 * An id for an order about to be written (migration 018's sequence): known before the first
 * write, so every write of the order can go in one round trip. A refused order leaves a gap.
 */
export function nextOrderId(): Statement<number> {
  return { sql: 'SELECT NEXTVAL(order_ids) AS id', values: [], read: (result) => Number(rowsOf(result)[0]?.id) };
}

export function insertOrder(order: NewOrder): Statement<void> {
  return {
    sql: `INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, coupon_id, idempotency_key, request_hash)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: [
      order.id,
      order.userId,
      ORDER_PAID_STATUS,
      order.totalAmount,
      order.discountAmount,
      order.paidAmount,
      order.couponId,
      order.idempotencyKey,
      order.requestHash,
    ],
    read: ignoreResult,
  };
}

export function insertOrderItems(orderId: number, lines: readonly (OrderLine & { readonly unitPrice: number })[]): Statement<void> {
  return {
    sql: 'INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ?',
    values: [lines.map((l) => [orderId, l.productId, l.quantity, l.unitPrice])],
    read: ignoreResult,
  };
}

export function insertPayment(orderId: number, userId: number, amount: number, transactionId: string): Statement<void> {
  return {
    sql: 'INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (?, ?, ?, ?, ?)',
    values: [orderId, userId, amount, ORDER_PAID_STATUS, transactionId],
    read: ignoreResult,
  };
}

export interface IdempotentOrder {
  readonly orderId: number;
  readonly status: string;
  readonly paidAmount: number;
  readonly requestHash: string | null;
}

export function findOrderByIdempotencyKey(userId: number, key: string): Statement<IdempotentOrder | null> {
  return {
    sql: 'SELECT id, status, paid_amount, request_hash FROM orders WHERE user_id = ? AND idempotency_key = ?',
    values: [userId, key],
    read: (result) => {
      const r = rowsOf(result)[0];
      if (!r) return null;
      return { orderId: Number(r.id), status: String(r.status), paidAmount: Number(r.paid_amount), requestHash: r.request_hash };
    },
  };
}

const SUMMARY_COLUMNS = 'id, user_id, status, total_amount, discount_amount, paid_amount, coupon_id, created_at';

export async function findOrder(db: Queryable, orderId: number): Promise<OrderDetail | null> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT ${SUMMARY_COLUMNS} FROM orders WHERE id = ?`, [orderId]);
  const r = rows[0];
  if (!r) return null;
  const [items] = await db.query<RowDataPacket[]>(
    'SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ? ORDER BY product_id',
    [orderId],
  );
  return {
    ...toSummary(r),
    items: items.map((i) => ({ productId: Number(i.product_id), quantity: Number(i.quantity), unitPrice: Number(i.unit_price) })),
  };
}

/** Newest first; `beforeId` pages backwards through the (user_id, id) index. */
export async function listUserOrders(db: Queryable, userId: number, limit: number, beforeId?: number): Promise<OrderSummary[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT ${SUMMARY_COLUMNS} FROM orders WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    [userId, beforeId ?? Number.MAX_SAFE_INTEGER, limit],
  );
  return rows.map(toSummary);
}

function toSummary(r: RowDataPacket): OrderSummary {
  return {
    orderId: Number(r.id),
    userId: Number(r.user_id),
    status: String(r.status),
    totalAmount: Number(r.total_amount),
    discountAmount: Number(r.discount_amount),
    paidAmount: Number(r.paid_amount),
    couponId: r.coupon_id === null ? null : Number(r.coupon_id),
    createdAt: new Date(r.created_at as string | Date).toISOString(),
  };
}
