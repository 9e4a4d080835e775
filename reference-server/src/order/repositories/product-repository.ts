import { exactInteger } from '../../db/exact-integer.ts';
import type { RowDataPacket } from 'mysql2/promise';
import { changedOneRow, rowsOf, type Statement } from '../../db/statement.ts';
import type { Queryable, Tx } from '../../db/transaction.ts';

/**
 * The seed's oversell guard: the stock check and the decrement are one statement, so two
 * buyers of the last unit cannot both pass. It also holds the price the order was charged at
 * (read before, without a lock): a price changed in between refuses the decrement, so an
 * order never sells at a price the row no longer has. false: refused (see `whyNotDecremented`).
 */
export function decrementStock(productId: number, quantity: number, unitPrice: number): Statement<boolean> {
  return {
    sql: 'UPDATE products SET quantity = quantity - ? WHERE id = ? AND quantity >= ? AND price = ?',
    values: [quantity, productId, quantity, unitPrice],
    read: changedOneRow,
  };
}

/** After a refused decrement: the row as it is now (a locking read sees past the snapshot). */
export async function whyNotDecremented(tx: Tx, productId: number, unitPrice: number): Promise<'no-product' | 'price-changed' | 'no-stock'> {
  const [rows] = await tx.query<RowDataPacket[]>('SELECT price FROM products WHERE id = ? FOR UPDATE', [productId]);
  const row = rows[0];
  if (!row) return 'no-product';
  return productPrice(productId, row.price) === unitPrice ? 'no-stock' : 'price-changed';
}

export async function productExists(db: Queryable, productId: number): Promise<boolean> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT 1 FROM products WHERE id = ?', [productId]);
  return rows.length === 1;
}

/**
 * Price and stock by product id: a plain read that locks nothing, so the hot product rows are
 * locked only by the decrement at the end of the order (which also checks the price still holds).
 */
export function productStates(productIds: readonly number[]): Statement<Map<number, ProductState>> {
  return {
    // `IN (NULL)` for no ids: a statement that matches nothing keeps the batch's shape.
    sql: 'SELECT id, price, quantity FROM products WHERE id IN (?)',
    values: [productIds.length === 0 ? [null] : productIds],
    read: (result) => new Map(rowsOf(result).map((r) => [Number(r.id), productState(r.id, r.price, r.quantity)])),
  };
}

/**
 * A product as an order reads it before its writes, by a plain read: the price it will charge
 * (held by the decrement) and the stock last committed — a hint that refuses a sold-out order
 * before it writes anything; the conditional decrement stays the guard.
 */
export interface ProductState {
  readonly price: number;
  readonly stock: number;
}

export function productState(productId: unknown, price: unknown, stock: unknown): ProductState {
  return { price: productPrice(productId, price), stock: Number(stock) };
}

/** A price as the order charges it: an exact integer, or the order is refused. */
function productPrice(productId: unknown, price: unknown): number {
  return exactInteger(price, `the price of product ${String(productId)}`);
}
