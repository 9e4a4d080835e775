import type mysql from 'mysql2/promise';
import { TABLES } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { openMysql } from '../db/mysql-pool.ts';
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

/** The tables whose new rows a run's operations must account for. */
export const RUN_TABLES = [
  TABLES.userCoupons, TABLES.naiveUserCoupons, TABLES.orders, TABLES.payments, TABLES.balanceHistory, TABLES.outboxEvents,
] as const;

export async function takeRunStart(db: AuditDb, tables: ReadonlySet<string>): Promise<RunStart> {
  const present = RUN_TABLES.filter((t) => tables.has(t));
  const maxIds: Record<string, number> = {};
  if (present.length > 0) {
    const [row] = await db.query(`SELECT ${present.map((t) => `(SELECT COALESCE(MAX(id), 0) FROM ${t}) AS ${t}`).join(', ')}`);
    for (const t of present) maxIds[t] = Number(row?.[t] ?? 0);
  }
  return { takenAt: new Date().toISOString(), maxIds };
}

/** The first id a table's rows of this run can have (everything when no start was recorded). */
export function firstRunId(start: RunStart | undefined, table: string): number {
  return (start?.maxIds[table] ?? 0) + 1;
}

/** Opens MySQL briefly and takes the run's start (what `perf-lab run` records in run.json). */
export async function recordRunStart(config: PerfLabConfig): Promise<RunStart> {
  const pool = await openMysql(config.mysql, 1, { timeoutMs: 10_000 });
  try {
    const db: AuditDb = { query: async (sql, params = []) => (await pool.query<mysql.RowDataPacket[]>(sql, params as unknown[]))[0] };
    return await takeRunStart(db, await listTables(db));
  } finally {
    await pool.end();
  }
}
