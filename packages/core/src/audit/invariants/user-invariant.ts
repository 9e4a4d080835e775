import type { UserInvariant } from '../../config/user-invariants.ts';
import { rows, verdict, type Invariant } from '../invariant.ts';

/** A row as a short example: its first few columns as name=value. */
function example(row: Readonly<Record<string, unknown>>): string {
  return Object.entries(row).slice(0, 4).map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`).join(' ');
}

/**
 * A user-declared invariant: its query returns the violating rows. Run as a derived table
 * with a bound, so a query that matches the whole database cannot flood the audit; the count
 * of violations comes from the same query.
 */
export function userInvariant(declared: UserInvariant): Invariant {
  return {
    name: declared.name,
    meaning: declared.meaning,
    system: declared.system,
    mapped: true,
    async check(ctx) {
      const [count] = await rows(ctx.mysql, `SELECT COUNT(*) AS n FROM (${declared.sql}) AS violating`);
      const first = await rows(ctx.mysql, `SELECT * FROM (${declared.sql}) AS violating LIMIT 10`);
      return verdict(Number(count?.['n'] ?? 0), first.map((r) => example(r)));
    },
  };
}
