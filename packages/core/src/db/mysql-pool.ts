import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/config.ts';
import { ServiceError, errorMessage } from '../errors.ts';

/** A pool for perf-lab's own work (seed, audit); fails with the address when MySQL is down. */
export async function openMysql(config: MysqlConfig, connectionLimit = 4): Promise<mysql.Pool> {
  const pool = mysql.createPool({
    host: config.host, port: config.port, user: config.user, password: config.password, database: config.database,
    connectionLimit, multipleStatements: false, supportBigNumbers: true, bigNumberStrings: false,
  });
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new ServiceError('mysql', `${config.host}:${config.port}`,
      `cannot reach MySQL at ${config.host}:${config.port} (${errorMessage(err)}) — is the lab up? run \`perf-lab up\``, { cause: err });
  }
  return pool;
}
