import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, insertProduct, insertUser, postOrder, scalar } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

/** Without any Redis lock the database guards alone must keep every invariant. */
let world: TestWorld;
let app: FastifyInstance;

beforeAll(async () => {
  world = await createTestWorld();
  app = await world.orderApp({ lockScope: 'none' });
});

afterAll(() => world?.cleanup());

describe('order flow with lock scope none', () => {
  it('concurrent replays of one Idempotency-Key: the UNIQUE key decides, one order, same response', async () => {
    const userId = 1;
    await insertUser(app.mysql, userId, 10_000);
    const productId = await insertProduct(app.mysql, 1_000, 100);
    const body = { userId, items: [{ productId, quantity: 1 }] };
    const results = await Promise.all(Array.from({ length: 10 }, () => postOrder(app, body, 'same-key')));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await scalar(app.mysql, 'SELECT COUNT(*) FROM orders WHERE user_id = ?', [userId])).toBe(1);
    expect(await scalar(app.mysql, 'SELECT balance FROM users WHERE id = ?', [userId])).toBe(9_000);
    expect(await scalar(app.mysql, 'SELECT quantity FROM products WHERE id = ?', [productId])).toBe(99);
  });

  it('one user, concurrent multi-item orders in opposite orders over budget: consistent, no 5xx', async () => {
    const userId = 2;
    await insertUser(app.mysql, userId, 5_000);
    const a = await insertProduct(app.mysql, 300, 1_000);
    const b = await insertProduct(app.mysql, 200, 1_000);
    const items = [{ productId: a, quantity: 1 }, { productId: b, quantity: 1 }];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postOrder(app, { userId, items: i % 2 ? items : [...items].reverse() })),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    expect(await scalar(app.mysql, 'SELECT balance FROM users WHERE id = ?', [userId])).toBe(0);
    expect(await scalar(app.mysql, 'SELECT SUM(amount) FROM balance_history WHERE user_id = ?', [userId])).toBe(-5_000);
    expect(await scalar(app.mysql, 'SELECT quantity FROM products WHERE id = ?', [a])).toBe(990);
  });
});
