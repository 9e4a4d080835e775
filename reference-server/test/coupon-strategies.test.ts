import { COUPON_STRATEGIES } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/migrate.ts';
import { createTestWorld, dbState, issue } from './helper.ts';
import type { TestWorld } from './helper.ts';

let world: TestWorld;

beforeAll(async () => {
  world = await createTestWorld({ users: 5_000 });
});
afterAll(() => world?.cleanup());

describe('migrations', () => {
  it('apply once: a second run finds every version recorded', async () => {
    const { error, results } = await migrate(world.mysqlUrl);
    expect(error).toBeUndefined();
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results.every((r) => r.status === 'already-applied')).toBe(true);
  });
});

describe('db-only: synchronous conditional UPDATE + INSERT', () => {
  it('issues once per user (201 then 409)', async () => {
    const app = await world.app({ couponStrategy: 'db-only' });
    const couponId = await world.createCoupon(3);
    const first = await issue(app, couponId, 7);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'ISSUED' });
    const again = await issue(app, couponId, 7);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('COUPON_ALREADY_ISSUED');
    expect((await issue(app, 987654321, 7)).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/coupons/${couponId}/issues/7` })).json()).toMatchObject({ status: 'ISSUED' });
  });

  it('issues exactly N of N to 3N concurrent users', async () => {
    const app = await world.app({ couponStrategy: 'db-only' });
    const n = 20;
    const couponId = await world.createCoupon(n);
    const users = Array.from({ length: 3 * n }, (_, i) => 500 + i);
    const responses = await Promise.all(users.map((u) => issue(app, couponId, u)));
    const issued = users.filter((_, i) => responses[i]?.statusCode === 201);
    expect(issued).toHaveLength(n);
    expect(responses.filter((r) => r.statusCode === 409)).toHaveLength(2 * n);
    expect(await dbState(world.pool, couponId)).toMatchObject({ issued: n, userIds: issued });
  });
});

describe('naive (deliberately broken): read stock, then write', () => {
  it('over-issues or issues twice under concurrency — the audit must catch this', async () => {
    // A bigger pool lets more requests pass the checks before any of them writes.
    const app = await world.app({ couponStrategy: 'naive', mysqlPool: 30 });
    const n = 10;
    let broken = false;
    // Races are probabilistic; a few rounds make "never broken" astronomically unlikely.
    for (let round = 0; round < 5 && !broken; round++) {
      const couponId = await world.createCoupon(n);
      const users = Array.from({ length: 3 * n }, (_, i) => 100 * round + i + 1);
      // Every user asks twice at once, as an impatient client retrying would.
      await Promise.all([...users, ...users].map((u) => issue(app, couponId, u)));
      const { issued, userIds } = await dbState(world.pool, couponId, COUPON_STRATEGIES.naive.holdingsTable);
      const duplicates = userIds.length - new Set(userIds).size;
      const overIssued = Math.max(userIds.length, issued) > n;
      broken = duplicates > 0 || overIssued;
    }
    expect(broken).toBe(true);
  });
});
