import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/config.ts';
import { ServiceError, errorMessage } from '../errors.ts';

export interface OpenMysqlOptions {
  /**
   * Bound on connecting and on the first query. A MySQL that accepts the connection but never
   * answers (a stopped process) otherwise holds the caller until the OS gives up.
   */
  readonly timeoutMs?: number;
}

/** A pool for perf-lab's own work (seed, audit); fails with the address when MySQL is down. */
export async function openMysql(config: MysqlConfig, connectionLimit = 4, options: OpenMysqlOptions = {}): Promise<mysql.Pool> {
  const pool = mysql.createPool({
    host: config.host, port: config.port, user: config.user, password: config.password, database: config.database,
    connectionLimit, multipleStatements: false, supportBigNumbers: true, bigNumberStrings: false,
    ...(options.timeoutMs ? { connectTimeout: options.timeoutMs } : {}),
  });
  try {
    await pool.query({ sql: 'SELECT 1', ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) });
  } catch (err) {
    // Not awaited: ending a pool whose server never answers would wait as long as the query did.
    void pool.end().catch(() => undefined);
    throw new ServiceError('mysql', `${config.host}:${config.port}`,
      `cannot reach MySQL at ${config.host}:${config.port} (${errorMessage(err)}) — is the lab up? run \`perf-lab up\``, { cause: err });
  }
  return pool;
}
