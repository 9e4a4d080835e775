import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import { addCartItem, findCartId, findCartItems, lockOrCreateCart } from './repositories/cart-repository.ts';
import type { OrderLine } from './repositories/order-repository.ts';
import { productExists } from './repositories/product-repository.ts';
import { userExists } from './repositories/user-repository.ts';
import { withTransaction } from '../db/transaction.ts';

export interface CartView {
  readonly userId: number;
  readonly items: readonly OrderLine[];
}

/** Stock is not reserved by a cart: it is checked, and taken, only when the order is placed. */
export async function addToCart(
  pool: Pool,
  userId: number,
  productId: number,
  quantity: number,
  retries: number,
): Promise<{ userId: number; productId: number; quantity: number }> {
  if (!(await userExists(pool, userId))) throw new AppError('USER_NOT_FOUND');
  if (!(await productExists(pool, productId))) throw new AppError('PRODUCT_NOT_FOUND');
  const lineQuantity = await withTransaction(
    pool,
    async (tx) => addCartItem(tx, await lockOrCreateCart(tx, userId), productId, quantity),
    { retries },
  );
  return { userId, productId, quantity: lineQuantity };
}

export async function viewCart(pool: Pool, userId: number): Promise<CartView> {
  if (!(await userExists(pool, userId))) throw new AppError('USER_NOT_FOUND');
  const cartId = await findCartId(pool, userId);
  return { userId, items: cartId === null ? [] : await findCartItems(pool, cartId) };
}
