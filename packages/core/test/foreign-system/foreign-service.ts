import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { FOREIGN_ORDER_SCHEMA_SQL, memberPromos, purchase } from './foreign-orders.ts';
import { startOutboxRelay } from './foreign-outbox-relay.ts';

/**
 * A deliberately foreign first-come coupon service, written for the tests: perf-lab did not
 * write it and it speaks none of the reference contract — string ids (`test-user-42`,
 * `test-coupon-1`), `POST /v1/promos/{code}/claims` with `{memberId}`, 200 on success, 400 with
 * `{"errorCode": …}` for a business refusal, tables `promo`/`promo_claim`/`members` and Redis
 * key `fcfs:{code}:members`; its purchases are foreign-orders.ts. The tests load it with the
 * bundled coupon and order scenarios through an API contract and audit it through a schema declaration.
 */
export const FOREIGN_SCHEMA_SQL = `
  CREATE TABLE IF NOT EXISTS members (member_id VARCHAR(40) PRIMARY KEY, points BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS promo (code VARCHAR(40) PRIMARY KEY, quantity INT NOT NULL, claimed INT NOT NULL DEFAULT 0,
    closes_at DATETIME(3) NOT NULL, discount BIGINT NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS promo_claim (seq BIGINT AUTO_INCREMENT PRIMARY KEY, member_id VARCHAR(40) NOT NULL,
    promo_code VARCHAR(40) NOT NULL, claimed_at DATETIME(3) NOT NULL DEFAULT NOW(3), spent_on VARCHAR(40) NULL,
    UNIQUE KEY uq_claim (member_id, promo_code));
  ${FOREIGN_ORDER_SCHEMA_SQL}`;

/** Its Redis count of purchases placed (no built-in check knows it). */
export const PURCHASE_COUNT_KEY = 'shop:purchases:count';

export interface ForeignService {
  readonly url: string;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function claim(pool: mysql.Pool, redis: Redis, keyPrefix: string, code: string, memberId: string): Promise<[number, object]> {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [[promo]] = await conn.query<mysql.RowDataPacket[]>('SELECT quantity, claimed FROM promo WHERE code = ? FOR UPDATE', [code]);
    if (!promo) {
      await conn.rollback();
      return [404, { errorCode: 'NO_SUCH_PROMO' }];
    }
    const [[held]] = await conn.query<mysql.RowDataPacket[]>('SELECT seq FROM promo_claim WHERE member_id = ? AND promo_code = ?', [memberId, code]);
    if (held) {
      await conn.rollback();
      return [400, { errorCode: 'ALREADY_CLAIMED' }];
    }
    if (Number(promo['claimed']) >= Number(promo['quantity'])) {
      await conn.rollback();
      return [400, { errorCode: 'SOLD_OUT' }];
    }
    const [inserted] = await conn.query<mysql.ResultSetHeader>('INSERT INTO promo_claim (member_id, promo_code) VALUES (?, ?)', [memberId, code]);
    await conn.query('UPDATE promo SET claimed = claimed + 1 WHERE code = ?', [code]);
    await conn.commit();
    await redis.sadd(`${keyPrefix}fcfs:${code}:members`, memberId);
    return [200, { data: { claimId: `claim-${inserted.insertId}` } }];
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

export async function startForeignService(
  mysqlUrl: string, redisUrl: string, keyPrefix: string, events?: { readonly brokers: readonly string[]; readonly topic: string },
): Promise<ForeignService> {
  const pool = mysql.createPool({ uri: mysqlUrl, connectionLimit: 8 });
  const redis = new Redis(redisUrl);
  const relay = events ? await startOutboxRelay(pool, events.brokers, events.topic) : undefined;
  const server = createServer((req, res) => {
    const claimPath = /^\/v1\/promos\/([A-Za-z0-9-]+)\/claims$/.exec(req.url ?? '');
    const promosPath = /^\/v1\/members\/([A-Za-z0-9-]+)\/promos$/.exec(req.url ?? '');
    const answer = (work: () => Promise<[number, object]>) => void work().then(([status, body]) => send(res, status, body))
      .catch(() => send(res, 500, { errorCode: 'INTERNAL' }));
    if (req.method === 'GET' && promosPath?.[1]) return answer(() => memberPromos(pool, promosPath[1]!));
    if (req.method === 'POST' && req.url === '/v1/purchases') {
      return answer(async () => purchase(pool, (await readBody(req)) as Record<string, unknown> | undefined, () => redis.incr(`${keyPrefix}${PURCHASE_COUNT_KEY}`)));
    }
    if (req.method !== 'POST' || !claimPath?.[1]) return send(res, 404, { errorCode: 'NOT_FOUND' });
    const code = claimPath[1];
    return answer(async () => {
      const memberId = ((await readBody(req)) as { memberId?: unknown } | undefined)?.memberId;
      if (typeof memberId !== 'string') return [400, { errorCode: 'BAD_REQUEST' }];
      return claim(pool, redis, keyPrefix, code, memberId);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await relay?.stop();
      redis.disconnect();
      await pool.end();
    },
  };
}
