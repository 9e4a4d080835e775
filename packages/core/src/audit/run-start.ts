import type mysql from 'mysql2/promise';
import { holdingsTables } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { REFERENCE_SCHEMA, type SchemaMap } from '../config/schema-map.ts';
import { sqlId } from './check-declarations.ts';
import { listTables, type AuditDb } from './audit-services.ts';

/**
 * Where a run began: the highest row id of each table the run adds to. Several runs may share
 * one seed; rows at or below these marks were there before the run started, so this run's
 * operations log is not asked to account for them (the earlier run's audit did).
 */
export interface RunStart {
  readonly takenAt: string;
  /** Highest id per table at the start (0 when empty); tables that did not exist are absent. */
  readonly maxIds: Readonly<Record<string, number>>;
}

/**
 * The tables whose new rows a run's operations must account for, with their id columns: the
 * holdings, orders, payments, ledger and outbox the schema map names (the reference ones by default).
 */
export function runTables(schema: SchemaMap): { table: string; id: string }[] {
  const holders = schema.holders;
  // Every strategy's table when none is named: a run may have used any of them.
  const holdings = holders ? (holders.tables.length > 0 ? holders.tables : holdingsTables()) : [];
  return [
    ...holdings.map((table) => ({ table, id: holders!.id })),
    ...[schema.orders, schema.payments, schema.ledger, schema.outbox].flatMap((m) => (m ? [{ table: m.table, id: m.id }] : [])),
  ];
}

export async function takeRunStart(db: AuditDb, tables: ReadonlySet<string>, schema: SchemaMap = REFERENCE_SCHEMA): Promise<RunStart> {
  // Only integer ids order rows by arrival: a table with text ids (`ORD-17`) is judged whole.
  const integers = new Set((await db.query(
    "SELECT CONCAT(table_name, '.', column_name) AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND data_type IN ('tinyint', 'smallint', 'mediumint', 'int', 'bigint')",
  )).map((r) => String(r['c'])));
  const present = runTables(schema).filter((t) => tables.has(t.table) && integers.has(`${t.table}.${t.id}`));
  const maxIds: Record<string, number> = {};
  if (present.length > 0) {
    const [row] = await db.query(`SELECT ${present.map((t, i) => `(SELECT COALESCE(MAX(${sqlId(t.id)}), 0) FROM ${sqlId(t.table)}) AS t${i}`).join(', ')}`);
    present.forEach((t, i) => { maxIds[t.table] = Number(row?.[`t${i}`] ?? 0); });
  }
  return { takenAt: new Date().toISOString(), maxIds };
}

/** Opens MySQL briefly and takes the run's start (what `perf-lab run` records in run.json). */
export async function recordRunStart(config: PerfLabConfig): Promise<RunStart> {
  const pool = await openMysql(config.mysql, 1, { timeoutMs: 10_000 });
  try {
    const db: AuditDb = { query: async (sql, params = []) => (await pool.query<mysql.RowDataPacket[]>(sql, params as unknown[]))[0] };
    return await takeRunStart(db, await listTables(db), config.schema);
  } finally {
    await pool.end();
  }
}
