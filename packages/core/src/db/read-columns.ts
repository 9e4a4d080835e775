import type mysql from 'mysql2/promise';
import type { MysqlConfig } from '../config/config.ts';
import { openMysql } from './mysql-pool.ts';

/** Table name → its columns in order. */
export type Columns = ReadonlyMap<string, readonly string[]>;

/** The user's tables and their columns, from information_schema. */
export async function readColumns(mysqlConfig: MysqlConfig): Promise<Columns> {
  const pool = await openMysql(mysqlConfig, 1, { timeoutMs: 15_000 });
  try {
    const [found] = await pool.query<mysql.RowDataPacket[]>(
      'SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position');
    const out = new Map<string, string[]>();
    for (const r of found) {
      const t = String(r['t']);
      if (!out.has(t)) out.set(t, []);
      out.get(t)!.push(String(r['c']));
    }
    return out;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
