import type { Redis } from 'ioredis';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * Every row of every table in the test's own database (balances, coupons' issued counts,
 * user_coupons, orders, payments, outbox, …) and every Redis key under its prefix, with
 * values, as one comparable value: "nothing changed" is then one deep-equality check.
 */
export async function dataSnapshot(pool: Pool, redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  const [tables] = await pool.query<RowDataPacket[]>(
    'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
  );
  for (const { t } of tables) {
    // Ordered by every column: a stable order without knowing each table's key.
    const [columns] = await pool.query<RowDataPacket[]>(
      'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
      [t],
    );
    const order = columns.map(({ c }) => `\`${String(c)}\``).join(', ');
    const [rows] = await pool.query<RowDataPacket[]>({ sql: `SELECT * FROM \`${String(t)}\` ORDER BY ${order}`, supportBigNumbers: true, bigNumberStrings: true });
    snapshot[`mysql:${String(t)}`] = rows;
  }
  let cursor = '0';
  const keys: string[] = [];
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  for (const key of keys.sort()) snapshot[`redis:${key}`] = await redisValue(redis, key);
  return snapshot;
}

async function redisValue(redis: Redis, key: string): Promise<unknown> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return redis.get(key);
    case 'set':
      return (await redis.smembers(key)).sort();
    case 'hash':
      return redis.hgetall(key);
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'zset':
      return redis.zrange(key, 0, -1, 'WITHSCORES');
    default:
      return type;
  }
}
