import { SYSTEM_NAMES, type SystemName } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';

/**
 * The user's own invariants (the `invariants` of perf-lab.config.*): each a named SQL query
 * returning the rows that violate it, with what it means. The audit runs them beside the
 * built-in ones and reports them alike; each returned row is one violation, its first columns
 * the example shown.
 */
export interface UserInvariant {
  readonly name: string;
  readonly meaning: string;
  readonly sql: string;
  readonly system: SystemName;
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
    const extra = Object.keys(v).find((k) => !['name', 'meaning', 'sql', 'system'].includes(k));
    if (extra !== undefined) fail(`${where}.${extra}`, 'unknown key; known: name, meaning, sql, system');
    if (typeof v['name'] !== 'string' || !NAME.test(v['name'])) fail(`${where}.name`, 'expected a lower-case name such as "user.points-not-negative"');
    if (seen.has(v['name'])) fail(`${where}.name`, `"${v['name']}" is declared twice`);
    seen.add(v['name']);
    if (typeof v['meaning'] !== 'string' || v['meaning'].trim() === '') fail(`${where}.meaning`, 'expected a sentence saying what must hold');
    if (typeof v['sql'] !== 'string' || !/^\s*(select|with)\b/i.test(v['sql'])) fail(`${where}.sql`, 'expected one SELECT (or WITH … SELECT) returning the violating rows');
    if (v['sql'].includes(';')) fail(`${where}.sql`, 'expected a single statement, without ";"');
    const system = v['system'] ?? 'order';
    if (typeof system !== 'string' || !(SYSTEM_NAMES as readonly string[]).includes(system)) fail(`${where}.system`, `expected one of ${SYSTEM_NAMES.join(', ')}`);
    return { name: `user.${v['name']}`, meaning: v['meaning'], sql: v['sql'], system: system as SystemName };
  });
}
