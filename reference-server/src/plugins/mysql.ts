import mysql from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import { sharedPlugin, unreachable } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mysql: Pool;
  }
}

/** The promise pool every feature shares; its size is REF_MYSQL_POOL (the seed's 10 vs 100). */
export const mysqlPlugin = sharedPlugin('mysql', async (app) => {
  const { url, poolSize } = app.config.mysql;
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    // Requests queue for a connection rather than fail: the pool size is the variable under test.
    waitForConnections: true,
    queueLimit: 0,
    // BIGINTs past 2^53 arrive as strings instead of silently rounded numbers (exact-integer.ts).
    supportBigNumbers: true,
    // No stack trace captured per statement (mysql2's promise API does one per query unless told
    // not to): 4 % of the server's samples on the order path. A failed statement's error still
    // carries its code, errno and SQL message; only the awaiting frames go from its stack.
    trace: false,
  });
  const target = new URL(url);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw unreachable('MySQL', `${target.hostname}:${target.port || 3306}${target.pathname}`, err);
  }
  app.decorate('mysql', pool);
  app.addHook('onClose', async () => {
    await pool.end();
  });
});
