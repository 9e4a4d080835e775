import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, dbState, http, insertProduct, scalar, waitFor } from './helper.ts';
import type { TestWorld } from './helper.ts';
import { dataSnapshot } from './hostile/data-snapshot.ts';
import { protocolCases } from './hostile/protocol-cases.ts';
import { exchange, parseResponses } from './hostile/raw-request.ts';
import type { Exchange, HostileCase } from './hostile/raw-request.ts';
import { routeCases } from './hostile/route-cases.ts';

/**
 * Issue 14, "must show": well over 1,500 malformed or hostile requests at every route the
 * app registered, over real HTTP on 127.0.0.1 against the real MariaDB/Redis/Kafka. No 5xx,
 * every 4xx in the API's error shape, no connection outlives the server's timeouts, not one
 * row or Redis key changes, and the server is healthy afterwards. Timeouts themselves are
 * http-hardening.test.ts's subject; here they only bound each case. No refusal is exempt from
 * the error body: those Node's parser makes before fastify runs (framing, smuggling, 431, 408),
 * a CONNECT and a bad Expect are written by src/client-error.ts in the same shape.
 */
const TIMEOUTS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 500 };
// A connection must be closed by the server within its request deadline, plus the idle
// keep-alive a pipelined case may sit in, plus slack for a 2-core machine under load.
const BOUND_MS = TIMEOUTS.requestTimeoutMs + TIMEOUTS.keepAliveTimeoutMs + 3_000;
const CONCURRENCY = 8;
const SEED = 20_261_130;

let world: TestWorld;
let app: FastifyInstance;
let url: string;
const ids = { userId: 1, couponId: 0, orderId: 0, productId: 0 };

beforeAll(async () => {
  world = await createTestWorld({ users: 5 });
  ({ app, url } = await world.serve(TIMEOUTS));
  // Real data for the cases to aim at: a balance with history, a cart, a paid order with its
  // outbox event, an issued coupon with its Redis state.
  ids.productId = await insertProduct(world.pool, 100, 50);
  expect((await http(`${url}/api/users/1/balance/charge`, { body: { amount: 1_000 } })).status).toBe(200);
  expect((await http(`${url}/api/users/1/cart/items`, { body: { productId: ids.productId, quantity: 2 } })).status).toBe(201);
  const order = await http(`${url}/api/orders`, { body: { userId: 1, items: [{ productId: ids.productId, quantity: 1 }] } });
  expect(order.status).toBe(201);
  ids.orderId = Number(order.body.orderId);
  ids.couponId = await world.createCoupon(10);
  expect((await http(`${url}/api/coupons/${ids.couponId}/issue`, { body: { userId: 1 } })).status).toBe(202);
  await waitFor(async () => (await dbState(world.pool, ids.couponId)).userIds.includes(1), { what: 'the coupon issued' });
  await waitFor(async () => (await scalar(world.pool, 'SELECT COUNT(*) FROM outbox_events WHERE sent_at IS NULL')) === 0, {
    what: 'the outbox relayed',
  });
});
afterAll(() => world?.cleanup());

async function runAll(cases: readonly HostileCase[], port: number): Promise<Exchange[]> {
  const results: Exchange[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) results[i] = await exchange(port, cases[i] as HostileCase, BOUND_MS);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

/** What is wrong with one exchange, or null. */
function judge(c: HostileCase, r: Exchange): string | null {
  if (r.hung) return `still open after ${BOUND_MS} ms`;
  const responses = parseResponses(r.received);
  // Even a request Node's parser refuses is answered (clientErrorHandler): never a bare close.
  if (responses.length === 0) return `closed without an answer after ${r.elapsedMs} ms`;
  for (const res of responses) {
    if (res.status < 200) continue; // 100 Continue: the answer follows
    if (res.status >= 500) return `answered ${res.status}: ${res.body.slice(0, 200)}`;
    if (res.status < 300 && c.method !== 'GET' && c.method !== 'HEAD') return `a hostile ${c.method} was accepted (${res.status})`;
    if (res.status >= 400 && c.method !== 'HEAD') {
      let body: { error?: { code?: unknown; message?: unknown } } = {};
      try {
        body = JSON.parse(res.body) as typeof body;
      } catch {
        // judged below
      }
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
        return `${res.status} without the error shape: ${JSON.stringify(res.body.slice(0, 200))}`;
      }
    }
  }
  return null;
}

describe('hostile requests at every route', () => {
  it('get no 5xx, only well-formed refusals, no hangs, and change nothing', async () => {
    const routes = app.routeCatalog;
    const printed = app.printRoutes({ commonPrefix: false });
    // The catalog is the app's whole surface: every path printRoutes shows is in it.
    for (const leaf of printed.matchAll(/([^\s─│├└]+) \(/g)) expect(routes.some((r) => r.url.endsWith(String(leaf[1])))).toBe(true);

    const { couponId, orderId, productId } = ids;
    const cases = [
      ...routeCases(routes, { existing: { userId: 1, couponId, orderId, productId }, missing: 900_000_001 }, SEED),
      ...protocolCases(routes, 1, 200),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(1_500);
    for (const r of routes) expect(cases.some((c) => c.name.startsWith(`${r.method} ${r.url} `)), `${r.method} ${r.url} fuzzed`).toBe(true);

    const before = await dataSnapshot(world.pool, world.redis, world.prefix);
    // The snapshot holds what the cases aim at, so "unchanged" is not vacuous.
    for (const table of ['users', 'balance_history', 'cart_items', 'orders', 'payments', 'outbox_events', 'user_coupons']) {
      expect((before[`mysql:${table}`] as unknown[]).length, table).toBeGreaterThan(0);
    }
    expect(Object.keys(before).filter((k) => k.startsWith('redis:')).length).toBeGreaterThan(0);
    const t0 = Date.now();
    const results = await runAll(cases, Number(new URL(url).port));
    const elapsedMs = Date.now() - t0;

    const failures = cases.flatMap((c, i) => {
      const problem = judge(c, results[i] as Exchange);
      return problem ? [`${c.name}: ${problem}`] : [];
    });
    const statuses: Record<string, number> = {};
    for (const r of results) {
      const first = parseResponses(r.received)[0];
      const key = first ? String(first.status) : 'closed without answer';
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    console.info(`hostile requests: ${cases.length} in ${elapsedMs} ms, first status of each:`, statuses);
    expect(failures).toEqual([]);
    // The slow clients were cut by the server's own deadlines, not by the test's bound.
    const slow = (name: string) => results[cases.findIndex((c) => c.name === name)] as Exchange;
    expect(slow('slow body past the timeout').received).toMatch(/^HTTP\/1.1 408/);
    expect(slow('slow body past the timeout').elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 50);
    expect(slow('slow head').received).toMatch(/^HTTP\/1.1 408/);
    expect(slow('slow body within the timeout').received).toMatch(/^HTTP\/1.1 400/);

    expect(await dataSnapshot(world.pool, world.redis, world.prefix)).toEqual(before);
    expect((await http(`${url}/health`)).status).toBe(200);
    expect((await http(`${url}/api/users/1/balance`)).body.balance).toBe(1_000 - 100);
  });
});
