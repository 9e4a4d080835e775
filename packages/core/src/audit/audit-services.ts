import type mysql from 'mysql2/promise';
import type { Redis } from 'ioredis';
import type { PerfLabConfig } from '../config/config.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { openRedis } from '../db/redis-client.ts';
import type { RedisRead } from '../config/user-invariants.ts';
import { bounded } from './bounded.ts';

/** The audit's view of MySQL: every query bounded and, past the bound, named. */
export interface AuditDb {
  query(sql: string, params?: readonly unknown[]): Promise<mysql.RowDataPacket[]>;
}

/** The few Redis reads the invariants make, each bounded. */
export interface AuditRedis {
  sscan(key: string, cursor: string, count: number): Promise<[string, string[]]>;
  get(key: string): Promise<string | null>;
  exists(key: string): Promise<number>;
  /** One read of a user's Redis check (a value or a size). */
  read(command: RedisRead, key: string): Promise<unknown>;
}

export interface AuditServices {
  readonly db: AuditDb;
  readonly redis: AuditRedis;
  close(): Promise<void>;
}

export async function openAuditServices(config: PerfLabConfig, boundMs: number): Promise<AuditServices> {
  const mysqlAddress = `${config.mysql.host}:${config.mysql.port}`;
  const redisAddress = new URL(config.redis.url).host;
  const pool = await openMysql(config.mysql, 4, { timeoutMs: boundMs });
  let client: Redis;
  try {
    client = await openRedis(config.redis.url, { timeoutMs: boundMs });
  } catch (err) {
    void pool.end().catch(() => undefined);
    throw err;
  }
  const db: AuditDb = {
    query: (sql, params = []) => bounded('mysql', mysqlAddress, boundMs, `a query (${sql.trim().split(/\s+/).slice(0, 6).join(' ')} …)`, async () => {
      // mysql2's own timeout also ends the connection that never answered.
      const [result] = await pool.query<mysql.RowDataPacket[]>({ sql, values: params as unknown[], timeout: boundMs });
      return result;
    }),
  };
  const redis: AuditRedis = {
    sscan: (key, cursor, count) => bounded('redis', redisAddress, boundMs, `SSCAN ${key}`, () => client.sscan(key, cursor, 'COUNT', count)),
    get: (key) => bounded('redis', redisAddress, boundMs, `GET ${key}`, () => client.get(key)),
    exists: (key) => bounded('redis', redisAddress, boundMs, `EXISTS ${key}`, () => client.exists(key)),
    read: (command, key) => bounded('redis', redisAddress, boundMs, `${command.toUpperCase()} ${key}`, () => client.call(command, key)),
  };
  return {
    db, redis,
    async close() {
      client.disconnect();
      // Bounded too: ending a pool on a server that stopped answering would wait for it.
      await Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}

/** The tables of the current database: a check of a table that does not exist does not apply. */
export async function listTables(db: AuditDb): Promise<Set<string>> {
  return new Set((await db.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()')).map((r) => String(r['t'])));
}
