import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, dbState, issue, redisState, waitFor } from './helper.ts';
import type { TestWorld } from './helper.ts';

let world: TestWorld;
let app: FastifyInstance;
let prefix: string;

beforeAll(async () => {
  world = await createTestWorld({ users: 5_000 });
  app = await world.app();
  prefix = String(world.overrides.redisKeyPrefix);
});
afterAll(() => world?.cleanup());

const statusOf = async (couponId: number, userId: number) =>
  (await app.inject({ url: `/api/coupons/${couponId}/issues/${userId}` })).json<{ status: string }>().status;

describe('redis-kafka: first-come coupon issuance', () => {
  it('accepts a user once and refuses the repeat, leaving one row', async () => {
    const couponId = await world.createCoupon(10);
    const first = await issue(app, couponId, 42);
    const second = await issue(app, couponId, 42);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ status: 'PENDING' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toEqual({ error: { code: 'COUPON_ALREADY_ISSUED', message: expect.any(String) } });

    await waitFor(async () => (await statusOf(couponId, 42)) === 'ISSUED', { what: 'ISSUED' });
    expect(await dbState(world.pool, couponId)).toMatchObject({ issued: 1, userIds: [42] });
    const held = await app.inject({ url: '/api/users/42/coupons' });
    expect(held.json()).toMatchObject({ userId: 42, coupons: [{ couponId }] });
  });

  it('issues exactly N of N coupons to 3N concurrent users, Redis and DB agreeing', async () => {
    const n = 30;
    const couponId = await world.createCoupon(n);
    const users = Array.from({ length: 3 * n }, (_, i) => 1000 + i);
    const responses = await Promise.all(users.map((u) => issue(app, couponId, u)));

    const accepted = users.filter((_, i) => responses[i]?.statusCode === 202);
    const codes = responses.filter((r) => r.statusCode !== 202).map((r) => r.json().error.code);
    expect(accepted).toHaveLength(n);
    expect(new Set(codes)).toEqual(new Set(['COUPON_SOLD_OUT']));
    expect(codes).toHaveLength(2 * n);

    const db = await waitFor(
      async () => {
        const s = await dbState(world.pool, couponId);
        return s.userIds.length === n && s;
      },
      { what: `${n} rows` },
    );
    expect(db.issued).toBe(n);
    expect(db.userIds).toEqual(accepted);
    expect(await redisState(world.redis, prefix, couponId)).toEqual({ stock: 0, members: accepted, soldOut: true });

    const view = await app.inject({ url: `/api/coupons/${couponId}` });
    expect(view.json()).toMatchObject({ total: n, issued: n, remaining: 0, redis: { stock: 0, reserved: n, soldOut: true } });
    expect(await statusOf(couponId, accepted[0] ?? 0)).toBe('ISSUED');
  });

  it('answers 404 for an unknown coupon and for a user who never asked', async () => {
    const r = await issue(app, 987654321, 1);
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('COUPON_NOT_FOUND');
    expect((await app.inject({ url: '/api/coupons/987654321' })).statusCode).toBe(404);
    const couponId = await world.createCoupon(1);
    const s = await app.inject({ url: `/api/coupons/${couponId}/issues/5` });
    expect(s.statusCode).toBe(404);
    expect(s.json().error.code).toBe('ISSUE_NOT_FOUND');
  });

  describe('rejects malformed input with 400 and reserves nothing', () => {
    let couponId: number;
    beforeAll(async () => {
      couponId = await world.createCoupon(5);
    });

    const json = (body: string) => ({ 'content-type': 'application/json' }) as Record<string, string>;
    const bodies: [string, string, string][] = [
      ['missing userId', '{}', 'VALIDATION_FAILED'],
      ['zero', '{"userId":0}', 'VALIDATION_FAILED'],
      ['negative', '{"userId":-3}', 'VALIDATION_FAILED'],
      ['fraction', '{"userId":1.5}', 'VALIDATION_FAILED'],
      ['string id', '{"userId":"7"}', 'VALIDATION_FAILED'],
      ['null id', '{"userId":null}', 'VALIDATION_FAILED'],
      ['huge id', '{"userId":100000000000000000000}', 'VALIDATION_FAILED'],
      ['just past safe integers', '{"userId":9007199254740993}', 'VALIDATION_FAILED'],
      ['extra field', '{"userId":1,"admin":true}', 'VALIDATION_FAILED'],
      ['array body', '[1]', 'VALIDATION_FAILED'],
      ['invalid JSON', '{"userId":', 'INVALID_JSON'],
      ['empty body', '', 'INVALID_JSON'],
      ['oversized body', JSON.stringify({ userId: 1, pad: 'x'.repeat(4096) }), 'BODY_TOO_LARGE'],
    ];
    it.each(bodies)('%s', async (_name, payload, code) => {
      const r = await app.inject({ method: 'POST', url: `/api/coupons/${couponId}/issue`, headers: json(payload), payload });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toEqual({ error: { code, message: expect.any(String) } });
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['form', 'application/x-www-form-urlencoded'],
      ['no content type', undefined],
    ])('wrong content type: %s', async (_name, type) => {
      const r = await app.inject({
        method: 'POST',
        url: `/api/coupons/${couponId}/issue`,
        headers: type ? { 'content-type': type } : {},
        payload: '{"userId":1}',
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('INVALID_CONTENT_TYPE');
    });

    it.each(['abc', '0', '-1', '1.5', '01', '1e3', '99999999999999999999', '%00'])('coupon id %s', async (bad) => {
      const r = await app.inject({ method: 'POST', url: `/api/coupons/${bad}/issue`, payload: { userId: 1 } });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
      const s = await app.inject({ url: `/api/coupons/${couponId}/issues/${bad}` });
      expect(s.statusCode).toBe(400);
      const u = await app.inject({ url: `/api/users/${bad}/coupons` });
      expect(u.statusCode).toBe(400);
    });

    it('left Redis untouched', async () => {
      expect((await redisState(world.redis, prefix, couponId)).members).toEqual([]);
    });
  });
});
