import type { UserInvariant } from '../../config/user-invariants.ts';
import { couponKey } from '../../config/schema-map.ts';
import { seededId } from '../../seed/seed-manifest.ts';
import { rows, verdict, type AuditContext, type CheckResult, type Invariant } from '../invariant.ts';

/** A row as a short example: its first few columns as name=value. */
function example(row: Readonly<Record<string, unknown>>): string {
  return Object.entries(row).slice(0, 4).map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`).join(' ');
}

/** A value as compared: numbers by value (`10` from Redis equals `10.0` or 10n from MySQL), the rest as text; absent is null. */
function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = Buffer.isBuffer(value) ? value.toString() : String(value);
  return text.trim() !== '' && Number.isFinite(Number(text)) ? String(Number(text)) : text;
}

/**
 * A user's Redis check: the key (for every seeded coupon when it names `{coupon}`) must hold
 * what the SQL says — one value, `?` bound to the coupon id as the system writes it. A key whose
 * SQL returned no row, or that is missing where the SQL value is null too, compared nothing:
 * two absences agree without proving anything, so such a check is undecided (the verdict
 * unknown), never ok — unless another key of it disagrees, which is a violation all the same.
 */
async function redisCheck(ctx: AuditContext, declared: UserInvariant, redis: NonNullable<UserInvariant['redis']>): Promise<CheckResult> {
  const coupons = redis.key.includes('{coupon}') ? ctx.manifest.coupons.map((c) => seededId(ctx.ids.coupon, c.id)) : [undefined];
  const examples: string[] = [];
  const uncompared: string[] = [];
  let violations = 0;
  for (const coupon of coupons) {
    const key = coupon === undefined ? `${ctx.redisKeyPrefix}${redis.key}` : couponKey(ctx.redisKeyPrefix, redis.key, coupon);
    const [inRedis, [row]] = await Promise.all([ctx.redis.read(redis.read, key), rows(ctx.mysql, declared.sql, coupon === undefined ? [] : [coupon])]);
    const expected = comparable(row ? Object.values(row)[0] : null);
    const found = comparable(inRedis);
    const where = `${coupon === undefined ? '' : `coupon ${coupon}: `}${redis.read.toUpperCase()} ${key} = ${found ?? 'missing'}`;
    if (!row || (found === null && expected === null)) {
      uncompared.push(`${where}, SQL ${row ? 'says null' : 'returned no row'}`);
      continue;
    }
    if (found === expected) continue;
    violations++;
    examples.push(`${where}, SQL says ${expected ?? 'null'}`);
  }
  const nothing = uncompared.length > 0 ? `compared nothing for ${uncompared.length} of ${coupons.length} key(s) (${uncompared.slice(0, 3).join('; ')})` : undefined;
  if (violations === 0 && nothing) return { ...verdict(0, []), undecided: `no evidence: it ${nothing}` };
  return verdict(violations, examples, nothing ? `it also ${nothing}` : undefined);
}

/**
 * A user-declared invariant. A SQL one's query returns the violating rows: run as a derived
 * table with a bound, so a query that matches the whole database cannot flood the audit; the
 * count of violations comes from the same query. A Redis one compares a key with a query.
 */
export function userInvariant(declared: UserInvariant): Invariant {
  return {
    name: declared.name,
    meaning: declared.meaning,
    system: declared.system,
    mapped: true,
    async check(ctx) {
      if (declared.redis) return redisCheck(ctx, declared, declared.redis);
      const [count] = await rows(ctx.mysql, `SELECT COUNT(*) AS n FROM (${declared.sql}) AS violating`);
      const first = await rows(ctx.mysql, `SELECT * FROM (${declared.sql}) AS violating LIMIT 10`);
      return verdict(Number(count?.['n'] ?? 0), first.map((r) => example(r)));
    },
  };
}
