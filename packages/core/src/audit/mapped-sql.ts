import mysql from 'mysql2/promise';
import { TABLES } from '@perf-lab/contract';
import type { LedgerMap, OrdersMap } from '../config/schema-map.ts';
import { sqlId } from './check-declarations.ts';
import type { AuditContext } from './invariant.ts';
import type { SeedManifest } from '../seed/seed-manifest.ts';
import type { RunStart } from './run-start.ts';

/**
 * SQL fragments the order invariants share, built from the schema map. Names are quoted
 * identifiers and values escaped literals: both come from configuration, never from a request.
 */
export const sqlValue = (value: string): string => mysql.escape(value);

/** `alias.status = <the declared paid status>`; every row is paid where the system keeps no status. */
export function paidOrder(o: OrdersMap, alias: string): string {
  return o.status === null ? 'TRUE' : `${alias}.${sqlId(o.status)} = ${sqlValue(o.paidStatus)}`;
}

/** A ledger row's change, signed (a payment negative) whichever way the ledger stores it. */
export function signedAmount(l: LedgerMap, alias: string): string {
  const amount = `${alias}.${sqlId(l.amount)}`;
  return l.amountSign === 'signed' || l.type === null ? amount
    : `(CASE WHEN ${alias}.${sqlId(l.type)} = ${sqlValue(l.paymentType)} THEN -${amount} ELSE ${amount} END)`;
}

/** A ledger payment (a debit) or charge (a credit): by its type column, or by the amount's sign without one. */
export function ledgerKind(l: LedgerMap, alias: string, kind: 'payment' | 'charge'): string {
  if (l.type !== null) return `${alias}.${sqlId(l.type)} = ${sqlValue(kind === 'payment' ? l.paymentType : l.chargeType)}`;
  // Without a type column amounts are signed (a positive ledger needs one: schema-map.ts).
  return `${alias}.${sqlId(l.amount)} ${kind === 'payment' ? '<' : '>'} 0`;
}

/**
 * ` AND column >= n`: the rows a run added, where the run recorded the table's highest id at its
 * start; empty (every row since the seed) where it did not — a table with text ids has no such mark.
 */
export function addedByRun(start: RunStart | undefined, table: string, column: string): string {
  const max = start?.maxIds[table];
  // A number the run recorded, never user text.
  return max === undefined ? '' : ` AND ${column} >= ${Number(max) + 1}`;
}

/** Every named table exists (a declared one was checked; a reference one may belong to a system not deployed). */
export function present(ctx: Pick<AuditContext, 'tables'>, ...maps: readonly ({ readonly table: string } | null)[]): boolean {
  return maps.every((m) => m !== null && ctx.tables.has(m.table));
}

/** The holdings table whose rows record which order spent the coupon: the first declared, else the reference one. */
export function couponUseTable(ctx: Pick<AuditContext, 'schema'>): string {
  return ctx.schema.holders?.tables[0] ?? TABLES.userCoupons;
}

/**
 * The manifest's per-user starting balances (`balances`, by id as the system writes it) as a
 * derived table (id, initial); a user not in it started with balanceRule.initialBalance.
 */
export function seededBalances(manifest: SeedManifest): string {
  const entries = Object.entries(manifest.balances ?? {});
  if (entries.length === 0) return '(SELECT NULL AS id, NULL AS initial FROM DUAL WHERE FALSE)';
  return `(${entries.map(([id, initial], i) => (i === 0 ? `SELECT ${mysql.escape(id)} AS id, ${Number(initial)} AS initial` : `SELECT ${mysql.escape(id)}, ${Number(initial)}`))
    .join(' UNION ALL ')})`;
}
