import { SYSTEM_NAMES, type SystemName } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';

/**
 * The user's own invariants (the `invariants` of perf-lab.config.*), with what each means. The
 * audit runs them beside the built-in ones and reports them alike. Two kinds:
 * - SQL alone: a query returning the rows that violate it; each row is one violation, its
 *   first columns the example shown.
 * - a Redis check: a key (a pattern with `{coupon}` is read for every seeded coupon) whose value
 *   or size must equal what `sql` returns — one value, `?` standing for the coupon id.
 */
export const REDIS_READS = ['get', 'scard', 'llen', 'hlen', 'zcard', 'strlen', 'exists'] as const;
export type RedisRead = (typeof REDIS_READS)[number];

export interface UserInvariant {
  readonly name: string;
  readonly meaning: string;
  readonly sql: string;
  readonly system: SystemName;
  readonly redis?: { readonly read: RedisRead; readonly key: string };
}

const NAME = /^[a-z0-9][a-z0-9.-]{0,79}$/;

function fail(where: string, message: string): never {
  throw new ConfigError(`invalid invariant at ${where}: ${message} — fix the \`invariants\` of perf-lab.config.* (docs/your-own-system.md)`);
}

export function parseUserInvariants(value: unknown): readonly UserInvariant[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('invariants', 'expected a list of { name, meaning, sql, system }');
  const seen = new Set<string>();
  return value.map((raw: unknown, i) => {
    const where = `invariants[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, 'expected { name, meaning, sql, system }');
    const v = raw as Record<string, unknown>;
    const extra = Object.keys(v).find((k) => !['name', 'meaning', 'sql', 'system', 'redis'].includes(k));
    if (extra !== undefined) fail(`${where}.${extra}`, 'unknown key; known: name, meaning, sql, system, redis');
    if (typeof v['name'] !== 'string' || !NAME.test(v['name'])) fail(`${where}.name`, 'expected a lower-case name such as "user.points-not-negative"');
    if (seen.has(v['name'])) fail(`${where}.name`, `"${v['name']}" is declared twice`);
    seen.add(v['name']);
    if (typeof v['meaning'] !== 'string' || v['meaning'].trim() === '') fail(`${where}.meaning`, 'expected a sentence saying what must hold');
    if (typeof v['sql'] !== 'string' || !/^\s*(select|with)\b/i.test(v['sql'])) fail(`${where}.sql`, 'expected one SELECT (or WITH … SELECT) returning the violating rows');
    if (v['sql'].includes(';')) fail(`${where}.sql`, 'expected a single statement, without ";"');
    const system = v['system'] ?? 'order';
    if (typeof system !== 'string' || !(SYSTEM_NAMES as readonly string[]).includes(system)) fail(`${where}.system`, `expected one of ${SYSTEM_NAMES.join(', ')}`);
    const redis = v['redis'] === undefined ? undefined : redisCheck(v['redis'], `${where}.redis`);
    return { name: `user.${v['name']}`, meaning: v['meaning'], sql: v['sql'], system: system as SystemName, ...(redis ? { redis } : {}) };
  });
}

function redisCheck(value: unknown, where: string): NonNullable<UserInvariant['redis']> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, `expected { read: ${REDIS_READS.join('|')}, key }`);
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).find((k) => k !== 'read' && k !== 'key');
  if (extra !== undefined) fail(`${where}.${extra}`, 'unknown key; known: read, key');
  if (typeof v['read'] !== 'string' || !(REDIS_READS as readonly string[]).includes(v['read'])) fail(`${where}.read`, `expected one of ${REDIS_READS.join(', ')}`);
  if (typeof v['key'] !== 'string' || v['key'] === '' || /\s/.test(v['key'])) fail(`${where}.key`, 'expected a key, or a key pattern with {coupon}');
  return { read: v['read'] as RedisRead, key: v['key'] };
}
