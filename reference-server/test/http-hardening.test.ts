import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { couponKeys } from '@perf-lab/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, http, insertProduct, insertUser, redisState, scalar } from './helper.ts';
import type { TestWorld } from './helper.ts';

/** Issue 14 §A6, §A7, §A8 over real HTTP against the real services. */
let world: TestWorld;
let app: FastifyInstance;
let url: string;
const TIMEOUTS = { headersTimeoutMs: 500, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 500 };

beforeAll(async () => {
  world = await createTestWorld({ users: 100 });
  ({ app, url } = await world.serve(TIMEOUTS));
});
afterAll(() => world?.cleanup());

const port = (): number => Number(new URL(url).port);

/** Opens a raw connection, writes `head`, and resolves with what the server sent and when it closed. */
function rawRequest(head: string, target = port()): { socket: Socket; closed: Promise<{ afterMs: number; received: string }> } {
  const socket = connect(target, '127.0.0.1');
  opened.push(socket);
  const t0 = Date.now();
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => undefined);
  socket.write(head);
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) =>
    socket.on('close', () => resolve({ afterMs: Date.now() - t0, received })),
  );
  return { socket, closed };
}

const opened: Socket[] = [];
afterEach(() => {
  // A server that never closes a stalled connection must not also hang the cleanup.
  for (const socket of opened.splice(0)) socket.destroy();
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: still open after ${ms} ms`)), ms))]);
}

describe('A6: slow clients are bounded', () => {
  it('a head that never completes is dropped after the header timeout', async () => {
    const { closed } = rawRequest('POST /api/noop HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
    const { afterMs } = await within(closed, 5_000, 'slow head');
    expect(afterMs).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 50);
  });

  it('a body that stalls is answered 408 and closed after the request timeout', async () => {
    const { closed } = rawRequest('POST /api/noop HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user');
    const { afterMs, received } = await within(closed, 5_000, 'slow body');
    expect(afterMs).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 50);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
    if (received !== '') expect(received).toContain('"code":"REQUEST_TIMEOUT"');
  });

  it('an idle keep-alive connection is closed', async () => {
    const { closed } = rawRequest('GET /api/noop HTTP/1.1\r\nHost: x\r\n\r\n');
    const { received } = await within(closed, 5_000, 'idle keep-alive');
    expect(received).toMatch(/^HTTP\/1.1 200/);
  });

  // A regression guard: this already held before the timeouts were added (fastify closes it).
  it('shutdown does not wait for a stalled client', async () => {
    const own = await world.serve(TIMEOUTS);
    const { closed } = rawRequest('POST /api/noop HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{', Number(new URL(own.url).port));
    const t0 = Date.now();
    const closing = own.app.close();
    await within(closing, 5_000, 'app.close()').catch(async (err: unknown) => {
      for (const socket of opened) socket.destroy();
      await closing;
      throw err;
    });
    expect(Date.now() - t0).toBeLessThan(5_000);
    await within(closed, 1_000, 'the stalled connection');
  });
});

describe('A8: refusals that used to be silent or 500', () => {
  it('a nonexistent user is 404 and reserves nothing', async () => {
    const couponId = await world.createCoupon(5);
    expect((await http(`${url}/api/coupons/${couponId}/issue`, { body: { userId: 1 } })).status).toBe(202);
    const before = await redisState(world.redis, world.prefix, couponId);
    const r = await http(`${url}/api/coupons/${couponId}/issue`, { body: { userId: 9_999 } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('USER_NOT_FOUND');
    expect(await redisState(world.redis, world.prefix, couponId)).toEqual(before);
    expect(before).toMatchObject({ stock: 4, members: [1] });
  });

  it('duplicate JSON keys and a compressed body are refused with 400, nothing reserved', async () => {
    const couponId = await world.createCoupon(5);
    const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
      fetch(`${url}/api/coupons/${couponId}/issue`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const dup = await post('{"userId":2,"userId":3}');
    expect(dup.status).toBe(400);
    expect(((await dup.json()) as { error: { code: string } }).error.code).toBe('DUPLICATE_JSON_KEY');
    const gz = await post(gzipSync('{"userId":2}'), { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(400);
    expect(((await gz.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_CONTENT_ENCODING');
    expect(await world.redis.exists(couponKeys(world.prefix, couponId).issued)).toBe(0);
  });

  // Found by hostile-requests.test.ts: fastify reads every JSON body as UTF-8, so this charged.
  it('a body declared in another charset than UTF-8 is refused and charges nothing', async () => {
    const r = await fetch(`${url}/api/users/30/balance/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-16' },
      body: '{"amount":1}',
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('INVALID_CONTENT_TYPE');
    expect(await scalar(world.pool, 'SELECT balance FROM users WHERE id = 30')).toBe(0);
    const utf8 = await http(`${url}/api/users/30/balance/charge`, { body: { amount: 1 } });
    expect(utf8.status).toBe(200);
  });

  // Found by hostile-requests.test.ts: these bypassed the error handler and got fastify's own body.
  it('requests refused before any route still get the API error body', async () => {
    const codeOf = (received: string) => (JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as { error: { code: string } }).error.code;
    const badUrl = await within(rawRequest('GET /api/users/%zz/balance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n').closed, 5_000, 'bad URL');
    expect(badUrl.received).toMatch(/^HTTP\/1.1 400/);
    expect(codeOf(badUrl.received)).toBe('BAD_REQUEST');
    const longParam = await within(rawRequest(`GET /api/orders/${'1'.repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`).closed, 5_000, 'long param');
    expect(codeOf(longParam.received)).toBe('BAD_REQUEST');
    const smuggle = await within(
      rawRequest('POST /api/noop HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n').closed,
      5_000,
      'CL+TE',
    );
    expect(smuggle.received).toMatch(/^HTTP\/1.1 400/);
    expect(codeOf(smuggle.received)).toBe('BAD_REQUEST');
    const big = await within(rawRequest(`GET /health HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`).closed, 5_000, 'big head');
    expect(big.received).toMatch(/^HTTP\/1.1 431/);
    expect(codeOf(big.received)).toBe('HEADERS_TOO_LARGE');
    const connect = await within(rawRequest('CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n').closed, 5_000, 'CONNECT');
    expect(codeOf(connect.received)).toBe('BAD_REQUEST');
    const expectation = await within(rawRequest('GET /health HTTP/1.1\r\nHost: x\r\nExpect: x-unknown\r\n\r\n').closed, 5_000, 'Expect');
    expect(expectation.received).toMatch(/^HTTP\/1.1 417/);
    expect(codeOf(expectation.received)).toBe('EXPECTATION_FAILED');
  });

  it('Redis unreachable on coupon issue is 503, not 500', async () => {
    const own = await world.serve();
    const couponId = await world.createCoupon(5);
    own.app.redis.disconnect();
    const r = await http(`${own.url}/api/coupons/${couponId}/issue`, { body: { userId: 3 } });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
  });
});

describe('A7: amounts stay exact', () => {
  const MAX = Number.MAX_SAFE_INTEGER;

  it('a charge that would take a balance past 2^53 - 1 is 400 and changes nothing', async () => {
    await world.pool.query('UPDATE users SET balance = ? WHERE id = 10', [MAX - 10]);
    const r = await http(`${url}/api/users/10/balance/charge`, { body: { amount: 100 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(await scalar(world.pool, 'SELECT CAST(balance AS CHAR) FROM users WHERE id = 10')).toBe(MAX - 10);
    expect(await scalar(world.pool, 'SELECT COUNT(*) FROM balance_history WHERE user_id = 10')).toBe(0);
    // Up to the edge is fine, and answered exactly.
    const edge = await http(`${url}/api/users/10/balance/charge`, { body: { amount: 10 } });
    expect(edge.status).toBe(200);
    expect(edge.body.balance).toBe(MAX);
  });

  it('an order whose total passes 2^53 - 1 is 400 and takes no stock', async () => {
    await insertUser(world.pool, 20_001, 1_000);
    const productId = await insertProduct(world.pool, 2 ** 52, 10);
    const r = await http(`${url}/api/orders`, { body: { userId: 20_001, items: [{ productId, quantity: 3 }] } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(await scalar(world.pool, 'SELECT quantity FROM products WHERE id = ?', [productId])).toBe(10);
  });
});
