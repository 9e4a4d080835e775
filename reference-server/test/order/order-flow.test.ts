import type { FastifyInstance } from 'fastify';
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, giveCoupon, insertProduct, insertUser, insertUsers, postOrder, scalar } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

let world: TestWorld;
let app: FastifyInstance;
let pool: Pool;

beforeAll(async () => {
  world = await createTestWorld();
  app = await world.orderApp();
  pool = app.mysql;
});

afterAll(() => world?.cleanup());

describe('order flow (user lock scope)', () => {
  it('20 concurrent orders of one user over budget: balance never negative, ledger and payments add up', async () => {
    const userId = 1001;
    await insertUser(pool, userId, 10_000);
    const productId = await insertProduct(pool, 1_500, 1_000);
    // 20 × 1 500 = 30 000 asked for, 10 000 available: exactly 6 can be paid.
    const results = await Promise.all(
      Array.from({ length: 20 }, () => postOrder(app, { userId, items: [{ productId, quantity: 1 }] })),
    );
    const paid = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(paid).toHaveLength(6);
    expect(refused.every((r) => r.statusCode === 409 && (r.body.error as { code: string }).code === 'INSUFFICIENT_BALANCE')).toBe(true);

    const balance = await scalar(pool, 'SELECT balance FROM users WHERE id = ?', [userId]);
    expect(balance).toBe(1_000);
    expect(await scalar(pool, 'SELECT COALESCE(SUM(amount), 0) FROM balance_history WHERE user_id = ?', [userId])).toBe(balance - 10_000);
    expect(await scalar(pool, 'SELECT MIN(balance_after) FROM balance_history WHERE user_id = ?', [userId])).toBeGreaterThanOrEqual(0);
    expect(await scalar(pool, 'SELECT quantity FROM products WHERE id = ?', [productId])).toBe(994);
    for (const r of paid) {
      const orderId = r.body.orderId as number;
      expect(r.body).toEqual({ orderId, status: 'PAID', paidAmount: 1_500 });
      expect(await scalar(pool, 'SELECT COUNT(*) FROM payments WHERE order_id = ?', [orderId])).toBe(1);
      expect(await scalar(pool, 'SELECT COUNT(*) FROM outbox_events WHERE aggregate_id = ?', [String(orderId)])).toBe(1);
    }
    expect(await scalar(pool, 'SELECT COUNT(*) FROM orders WHERE user_id = ?', [userId])).toBe(6);
  });

  it('50 users racing for the last 10 units: exactly 10 sold, stock 0, never negative', async () => {
    const users = Array.from({ length: 50 }, (_, i) => 2000 + i);
    await insertUsers(pool, users, 100_000);
    const productId = await insertProduct(pool, 700, 10);
    const results = await Promise.all(users.map((userId) => postOrder(app, { userId, items: [{ productId, quantity: 1 }] })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused.every((r) => (r.body.error as { code: string }).code === 'INSUFFICIENT_STOCK')).toBe(true);
    expect(await scalar(pool, 'SELECT quantity FROM products WHERE id = ?', [productId])).toBe(0);
    expect(await scalar(pool, 'SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE product_id = ?', [productId])).toBe(10);
  });

  it('multi-item orders in opposite item order from many users: no deadlock reaches a client', async () => {
    const users = Array.from({ length: 40 }, (_, i) => 3000 + i);
    await insertUsers(pool, users, 1_000_000);
    const [a, b, c] = [await insertProduct(pool, 100, 10_000), await insertProduct(pool, 200, 10_000), await insertProduct(pool, 300, 10_000)];
    const orders = users.flatMap((userId, i) => {
      const items = [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 2 },
        { productId: c, quantity: 1 },
      ];
      return [0, 1].map((k) => ({ userId, items: (i + k) % 2 === 0 ? items : [...items].reverse() }));
    });
    const results = await Promise.all(orders.map((o) => postOrder(app, o)));
    expect(results.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    expect(await scalar(pool, 'SELECT quantity FROM products WHERE id = ?', [b])).toBe(10_000 - 2 * orders.length);
  });

  it('the same Idempotency-Key, sequential and concurrent: one order, one charge, the same response', async () => {
    const userId = 4001;
    await insertUser(pool, userId, 50_000);
    const productId = await insertProduct(pool, 1_000, 100);
    const body = { userId, items: [{ productId, quantity: 2 }] };
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => postOrder(app, body, 'key-concurrent')));
    const again = await postOrder(app, body, 'key-concurrent');
    for (const r of [...concurrent, again]) {
      expect(r.statusCode).toBe(201);
      expect(r.body).toEqual(concurrent[0]?.body);
    }
    expect(concurrent.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await scalar(pool, 'SELECT COUNT(*) FROM orders WHERE user_id = ?', [userId])).toBe(1);
    expect(await scalar(pool, "SELECT COUNT(*) FROM balance_history WHERE user_id = ? AND type = 'PAYMENT'", [userId])).toBe(1);
    expect(await scalar(pool, 'SELECT balance FROM users WHERE id = ?', [userId])).toBe(48_000);

    const reused = await postOrder(app, { userId, items: [{ productId, quantity: 3 }] }, 'key-concurrent');
    expect(reused.statusCode).toBe(422);
    expect(reused.body).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('a coupon sent with two concurrent orders is used once, and its discount applied', async () => {
    const userId = 5001;
    await insertUser(pool, userId, 100_000);
    const productId = await insertProduct(pool, 5_000, 100);
    const couponId = await giveCoupon(pool, userId, 1_200);
    const results = await Promise.all(
      [1, 2].map(() => postOrder(app, { userId, items: [{ productId, quantity: 1 }], couponId })),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(1);
    expect(ok[0]?.body.paidAmount).toBe(3_800);
    expect(results.find((r) => r.statusCode !== 201)?.body).toMatchObject({ error: { code: 'COUPON_ALREADY_USED' } });
    expect(await scalar(pool, 'SELECT COUNT(*) FROM user_coupons WHERE user_id = ? AND used_order_id IS NOT NULL', [userId])).toBe(1);
    const notOwned = await postOrder(app, { userId, items: [{ productId, quantity: 1 }], couponId: couponId + 999 });
    expect(notOwned.statusCode).toBe(422);
    expect(notOwned.body).toMatchObject({ error: { code: 'COUPON_NOT_OWNED' } });
  });

  it('cart → order from cart → cart emptied; balance charge is idempotent; GET endpoints', async () => {
    const userId = 6001;
    await insertUser(pool, userId, 0);
    const p1 = await insertProduct(pool, 250, 10);
    const p2 = await insertProduct(pool, 400, 10);
    const add = (productId: number, quantity: number) =>
      app.inject({ method: 'POST', url: `/api/users/${userId}/cart/items`, payload: { productId, quantity } });
    expect((await add(p2, 1)).statusCode).toBe(201);
    expect((await add(p1, 2)).json()).toEqual({ userId, productId: p1, quantity: 2 });
    expect((await add(p1, 1)).json()).toEqual({ userId, productId: p1, quantity: 3 });
    const cart = await app.inject({ url: `/api/users/${userId}/cart` });
    expect(cart.json()).toEqual({ userId, items: [{ productId: p1, quantity: 3 }, { productId: p2, quantity: 1 }] });

    expect((await postOrder(app, { userId, fromCart: true })).body).toMatchObject({ error: { code: 'INSUFFICIENT_BALANCE' } });
    const charge = () =>
      app.inject({ method: 'POST', url: `/api/users/${userId}/balance/charge`, payload: { amount: 2_000 }, headers: { 'idempotency-key': 'top-up-1' } });
    const [c1, c2] = await Promise.all([charge(), charge()]);
    expect(c1.json().balance).toBe(2_000);
    expect(c2.json()).toEqual(c1.json());
    expect((await app.inject({ url: `/api/users/${userId}/balance` })).json()).toEqual({ userId, balance: 2_000 });

    const placed = await postOrder(app, { userId, fromCart: true });
    expect(placed.body).toMatchObject({ status: 'PAID', paidAmount: 1_150 });
    expect((await app.inject({ url: `/api/users/${userId}/cart` })).json()).toEqual({ userId, items: [] });
    expect((await postOrder(app, { userId, fromCart: true })).body).toMatchObject({ error: { code: 'EMPTY_ORDER' } });

    const order = (await app.inject({ url: `/api/orders/${placed.body.orderId}` })).json();
    expect(order).toMatchObject({ userId, status: 'PAID', totalAmount: 1_150, paidAmount: 1_150, items: [{ productId: p1, quantity: 3, unitPrice: 250 }, { productId: p2, quantity: 1, unitPrice: 400 }] });
    const list = (await app.inject({ url: `/api/users/${userId}/orders?limit=5` })).json();
    expect(list.orders.map((o: { orderId: number }) => o.orderId)).toEqual([placed.body.orderId]);
    expect(await scalar(pool, 'SELECT SUM(amount) FROM balance_history WHERE user_id = ?', [userId])).toBe(2_000 - 1_150);
  });

  it('malformed input is a 400 with a code; unknown things are 404/422; never a 500', async () => {
    await insertUser(pool, 7001, 1_000);
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/orders', { userId: 'abc', items: [] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/orders', { userId: 7001 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/orders', { userId: 7001, items: [{ productId: 1, quantity: 1 }], fromCart: true }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/orders', { userId: 7001, items: [{ productId: 1, quantity: 0 }] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/orders', { userId: 7001, items: [{ productId: 1.5, quantity: 1 }] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/orders', { userId: 1e30, items: [{ productId: 1, quantity: 1 }] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/orders', { userId: 7001, items: [] }, 422, 'EMPTY_ORDER'],
      ['POST', '/api/orders', { userId: 7001, items: [{ productId: 987654321, quantity: 1 }] }, 422, 'PRODUCT_NOT_FOUND'],
      ['POST', '/api/orders', { userId: 999999, items: [{ productId: 1, quantity: 1 }] }, 404, 'USER_NOT_FOUND'],
      ['POST', '/api/users/7001/balance/charge', { amount: -5 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/users/x/balance/charge', { amount: 5 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/users/7001/cart/items', { productId: 987654321, quantity: 1 }, 422, 'PRODUCT_NOT_FOUND'],
      ['GET', '/api/orders/0', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/orders/987654321', undefined, 404, 'ORDER_NOT_FOUND'],
      ['GET', '/api/users/999999/balance', undefined, 404, 'USER_NOT_FOUND'],
    ];
    for (const [method, url, payload, status, code] of cases) {
      const res = await app.inject({ method: method as 'GET' | 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) });
      expect({ url, payload, status: res.statusCode, code: res.json().error?.code }).toEqual({ url, payload, status, code });
    }
    const badJson = await app.inject({ method: 'POST', url: '/api/orders', payload: '{"userId":', headers: { 'content-type': 'application/json' } });
    expect(badJson.statusCode).toBe(400);
    const longKey = await postOrder(app, { userId: 7001, items: [] }, 'k'.repeat(65));
    expect(longKey.statusCode).toBe(400);
    for (const bad of [{ userId: '7001', items: [] }, { userId: 7001, items: [], extra: 1 }]) {
      expect((await postOrder(app, bad)).statusCode).toBe(400);
    }
    for (const url of ['/api/users/7001/orders?limit=0', '/api/users/7001/orders?limit=101', '/api/users/01/orders', '/api/orders/1e3']) {
      expect((await app.inject({ url })).statusCode).toBe(400);
    }
    const textBody = await app.inject({ method: 'POST', url: '/api/orders', payload: 'userId=1', headers: { 'content-type': 'text/plain' } });
    expect(textBody.statusCode).toBe(400);
  });
  it('a price changed while an order runs: the order is priced again at the new price, and its ledger row holds the balance left', async () => {
    const userId = 8001;
    await insertUser(pool, userId, 100_000);
    const productId = await insertProduct(pool, 1_000, 10);
    // The order reads the price (1 000), then its stock decrement waits on the product row we
    // hold here, and the price changes meanwhile: the decrement must refuse the stale price.
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      await conn.query('SELECT id FROM products WHERE id = ? FOR UPDATE', [productId]);
      const pending = postOrder(app, { userId, items: [{ productId, quantity: 2 }] });
      await waitForLockWaiter(pool);
      await conn.query('UPDATE products SET price = 1500 WHERE id = ?', [productId]);
      await conn.commit();
      const res = await pending;
      expect(res.statusCode).toBe(201);
      expect(res.body.paidAmount).toBe(3_000);
    } finally {
      conn.release();
    }
    expect(await scalar(pool, 'SELECT balance FROM users WHERE id = ?', [userId])).toBe(97_000);
    expect(await scalar(pool, 'SELECT balance_after FROM balance_history WHERE user_id = ?', [userId])).toBe(97_000);
    expect(await scalar(pool, 'SELECT quantity FROM products WHERE id = ?', [productId])).toBe(8);
  });
});

/**
 * Polls until an order's stock decrement is running (waiting for the test's row lock). The
 * process list shows this user's own sessions without the PROCESS privilege.
 */
async function waitForLockWaiter(pool: Pool): Promise<void> {
  const deadline = Date.now() + 10_000;
  const sql = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'UPDATE products SET quantity%'";
  while ((await scalar(pool, sql)) === 0) {
    if (Date.now() > deadline) throw new Error('no transaction ever waited for the product row');
    await new Promise((r) => setTimeout(r, 10));
  }
}
