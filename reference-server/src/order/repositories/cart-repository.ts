import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable, Tx } from '../../db/transaction.ts';
import type { OrderLine } from './order-repository.ts';
import { productState, type ProductState } from './product-repository.ts';
import { ignoreResult, rowsOf, type Statement } from '../../db/statement.ts';

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
 * transaction runs READ COMMITTED, so the plain read of the items that follows
 * (`cartLinesWithProducts`) sees every add committed before this lock — a locking read would do
 * too, but without migration 012's index it would lock every row of cart_items.
 */
export function lockCart(userId: number): Statement<number | null> {
  return {
    sql: 'SELECT id FROM carts WHERE user_id = ? FOR UPDATE',
    values: [userId],
    read: (result) => {
      const row = rowsOf(result)[0];
      return row ? Number(row.id) : null;
    },
  };
}

/** A cart line with its product as last committed; null: no such product. */
export interface CartLine extends OrderLine {
  readonly product: ProductState | null;
}

/**
 * The user's cart lines with each product's price and stock as last committed, by a plain read (the products are
 * every order's shared rows, locked only by the decrements at the end of an order). Through
 * migration 012's index on cart_items.cart_id when it is there, a full scan when it is not —
 * the seed's 60 ms against 2 ms. Run after `lockCart` in the same transaction.
 */
export function cartLinesWithProducts(userId: number): Statement<CartLine[]> {
  return {
    sql: `SELECT ci.product_id, ci.quantity, p.price, p.quantity AS stock
            FROM carts c
            JOIN cart_items ci ON ci.cart_id = c.id
            LEFT JOIN products p ON p.id = ci.product_id
           WHERE c.user_id = ?`,
    values: [userId],
    read: (result) =>
      rowsOf(result).map((r) => ({
        productId: Number(r.product_id),
        quantity: Number(r.quantity),
        product: r.price === null ? null : productState(r.product_id, r.price, r.stock),
      })),
  };
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
export function clearCart(cartId: number): Statement<void> {
  return { sql: 'DELETE FROM cart_items WHERE cart_id = ?', values: [cartId], read: ignoreResult };
}
