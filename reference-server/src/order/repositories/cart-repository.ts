import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable, Tx } from '../../db/transaction.ts';
import type { OrderLine } from './order-repository.ts';

/**
 * Carts are created on first use. Returns the cart id with the cart row locked, which is what
 * keeps concurrent adds of one product to one row (cart_items has no unique key; see 011).
 */
export async function lockOrCreateCart(tx: Tx, userId: number): Promise<number> {
  await tx.query('INSERT IGNORE INTO carts (user_id) VALUES (?)', [userId]);
  const [rows] = await tx.query<RowDataPacket[]>('SELECT id FROM carts WHERE user_id = ? FOR UPDATE', [userId]);
  return Number(rows[0]?.id);
}

export async function findCartId(db: Queryable, userId: number): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM carts WHERE user_id = ?', [userId]);
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * For ordering from the cart: the cart row locked, so no item can be added between reading
 * the items and emptying the cart (it would be deleted without being ordered). The order
 * transaction runs READ COMMITTED, so the plain read of the items that follows sees every
 * add committed before this lock — a locking read would do too, but without migration 012's
 * index it would lock every row of cart_items.
 */
export async function lockCart(tx: Tx, userId: number): Promise<number | null> {
  const [rows] = await tx.query<RowDataPacket[]>('SELECT id FROM carts WHERE user_id = ? FOR UPDATE', [userId]);
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * The seed's "SELECT * FROM cart_items WHERE cart_id = ?": a full scan without migration
 * 012's index (60 ms in the modelled system), an index lookup with it (2 ms).
 */
export async function findCartItems(db: Queryable, cartId: number): Promise<OrderLine[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT product_id, quantity FROM cart_items WHERE cart_id = ? ORDER BY product_id',
    [cartId],
  );
  return rows.map((r) => ({ productId: Number(r.product_id), quantity: Number(r.quantity) }));
}

/** Adds to the line for this product, or starts one. Returns the line's new quantity. */
export async function addCartItem(tx: Tx, cartId: number, productId: number, quantity: number): Promise<number> {
  const [res] = await tx.query<ResultSetHeader>(
    'UPDATE cart_items SET quantity = quantity + ? WHERE cart_id = ? AND product_id = ?',
    [quantity, cartId, productId],
  );
  if (res.affectedRows === 0) {
    await tx.query('INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, ?)', [cartId, productId, quantity]);
    return quantity;
  }
  const [rows] = await tx.query<RowDataPacket[]>(
    'SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ?',
    [cartId, productId],
  );
  return Number(rows[0]?.quantity);
}

/** The cart an order was placed from is emptied in the order's own transaction. */
export async function clearCart(tx: Tx, cartId: number): Promise<void> {
  await tx.query('DELETE FROM cart_items WHERE cart_id = ?', [cartId]);
}
