import mysql from 'mysql2/promise';
import type { PerfLabConfig } from '../config/config.ts';
import { CONCEPTS, columnKeys, type Concept, type SchemaMap } from '../config/schema-map.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { ConfigError, errorMessage } from '../errors.ts';
import { readColumns } from '../db/read-columns.ts';

/**
 * The user's schema map and own invariants, checked against the live database before any load
 * or audit: every declared table and column must exist (information_schema), and every
 * invariant's SQL must prepare (parsed and resolved by the server, not run). A mistake is
 * refused with its exact place, so it never surfaces as an audit full of "unchecked".
 */
export function declaredColumns(schema: SchemaMap): { where: string; table: string; column: string | null }[] {
  const out: { where: string; table: string; column: string | null }[] = [];
  const add = (where: string, concept: Concept, table: string, columns: object) => {
    out.push({ where: `schema.${where}`, table, column: null });
    for (const key of columnKeys(concept)) {
      const column = (columns as Readonly<Record<string, unknown>>)[key];
      if (typeof column === 'string') out.push({ where: `schema.${concept}.${key}`, table, column });
    }
  };
  for (const concept of CONCEPTS) {
    const mapped = schema[concept] as Readonly<Record<string, unknown>> | null;
    if (mapped && typeof mapped['table'] === 'string') add(`${concept}.table`, concept, mapped['table'], mapped);
  }
  // The reference holdings tables depend on the strategy (some exist only for it): only declared ones are required.
  // Coupon use is recorded in the first one only.
  for (const [i, table] of (schema.holders?.tables ?? []).entries()) {
    add(`holders.tables[${i}]`, 'holders', table, i === 0 ? schema.holders! : { ...schema.holders!, usedOrderId: null });
  }
  return out;
}

export async function checkDeclarations(config: PerfLabConfig): Promise<void> {
  if (config.schema.reference && config.invariants.length === 0) return;
  const columns = await readColumns(config.mysql);
  const pool = await openMysql(config.mysql, 1, { timeoutMs: 15_000 });
  try {
    const problems: string[] = [];
    for (const { where, table, column } of declaredColumns(config.schema)) {
      const known = columns.get(table);
      if (!known) {
        if (column === null) problems.push(`${where}: no table "${table}" in database ${config.mysql.database}`);
      } else if (column !== null && !known.includes(column)) {
        problems.push(`${where}: no column "${column}" in table ${table} (it has ${[...known].join(', ')})`);
      }
    }
    const conn = await pool.getConnection();
    try {
      for (const [i, inv] of config.invariants.entries()) {
        try {
          const statement = await conn.prepare(inv.sql);
          await statement.close();
        } catch (err) {
          problems.push(`invariants[${i}].sql (${inv.name}): does not prepare on ${config.mysql.database}: ${errorMessage(err)}`);
        }
      }
    } finally {
      conn.release();
    }
    if (problems.length > 0) {
      throw new ConfigError(`the declared schema does not match the database:\n  ${problems.join('\n  ')}\nfix the \`schema\`/\`invariants\` of perf-lab.config.* (docs/your-own-system.md)`);
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** A table or column name as a quoted identifier: names come from configuration, never values. */
export const sqlId = (name: string): string => mysql.escapeId(name);
