import { exactInteger } from '../../db/exact-integer.ts';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable, Tx } from '../../db/transaction.ts';

/**
 * The seed's oversell guard: the stock check and the decrement are one statement, so two
 * buyers of the last unit cannot both pass. false: not enough stock (or no such product).
 */
export async function decrementStock(tx: Tx, productId: number, quantity: number): Promise<boolean> {
  const [res] = await tx.query<ResultSetHeader>(
    'UPDATE products SET quantity = quantity - ? WHERE id = ? AND quantity >= ?',
    [quantity, productId, quantity],
  );
  return res.affectedRows === 1;
}

export async function productExists(db: Queryable, productId: number): Promise<boolean> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT 1 FROM products WHERE id = ?', [productId]);
  return rows.length === 1;
}

/** Prices by product id, read after the decrements so the rows are already ours. */
export async function productPrices(tx: Tx, productIds: readonly number[]): Promise<Map<number, number>> {
  if (productIds.length === 0) return new Map();
  const [rows] = await tx.query<RowDataPacket[]>('SELECT id, price FROM products WHERE id IN (?)', [productIds]);
  return new Map(rows.map((r) => [Number(r.id), exactInteger(r.price, `the price of product ${r.id}`)]));
}
