import { exactInteger } from '../../db/exact-integer.ts';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable, Tx } from '../../db/transaction.ts';

/**
 * The seed's oversell guard: the stock check and the decrement are one statement, so two
 * buyers of the last unit cannot both pass. It also holds the price the order was charged at
 * (read before, without a lock): a price changed in between refuses the decrement, so an
 * order never sells at a price the row no longer has. false: refused (see `whyNotDecremented`).
 */
export async function decrementStock(tx: Tx, productId: number, quantity: number, unitPrice: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>(
    'UPDATE products SET quantity = quantity - ? WHERE id = ? AND quantity >= ? AND price = ?',
    [quantity, productId, quantity, unitPrice],
  );
  return res.affectedRows === 1;
}

/** After a refused decrement: the row as it is now (a locking read sees past the snapshot). */
export async function whyNotDecremented(tx: Tx, productId: number, unitPrice: number): Promise<'no-product' | 'price-changed' | 'no-stock'> {
  const [rows] = await tx.query<RowDataPacket[]>('SELECT price FROM products WHERE id = ? FOR UPDATE', [productId]);
  const row = rows[0];
  if (!row) return 'no-product';
  return exactInteger(row.price, `the price of product ${productId}`) === unitPrice ? 'no-stock' : 'price-changed';
}

export async function productExists(db: Queryable, productId: number): Promise<boolean> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT 1 FROM products WHERE id = ?', [productId]);
  return rows.length === 1;
}

/**
 * Prices by product id: a plain read that locks nothing, so the hot product rows are locked
 * only by the decrement at the end of the order (which also checks the price still holds).
 */
export async function productPrices(tx: Tx, productIds: readonly number[]): Promise<Map<number, number>> {
  if (productIds.length === 0) return new Map();
  const [rows] = await tx.query<RowDataPacket[]>('SELECT id, price FROM products WHERE id IN (?)', [productIds]);
  return new Map(rows.map((r) => [Number(r.id), exactInteger(r.price, `the price of product ${r.id}`)]));
}
