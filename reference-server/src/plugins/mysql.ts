import type { Pool } from 'mysql2/promise';
import { sharedPlugin, unreachable } from './shared-plugin.ts';
import { createMysqlPool } from '../db/mysql-pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mysql: Pool;
  }
}

/** The promise pool every feature shares; its size is REF_MYSQL_POOL (the seed's 10 vs 100). */
export const mysqlPlugin = sharedPlugin('mysql', async (app) => {
  const { url, poolSize } = app.config.mysql;
  const pool = createMysqlPool(url, poolSize);
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
