/**
 * Typed parsers for config.ts: each takes the setting's key, the raw value (a string from the
 * environment, or a typed override) and a `fail` that names the env variable, so a refusal
 * says which variable to change, its value, and what was expected.
 */
export type Fail = (key: string, value: unknown, expected: string) => never;

export function nonEmpty(key: string, value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '') fail(key, value, 'a non-empty string');
  return value;
}

export function integer(key: string, value: unknown, fail: Fail, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail(key, value, `an integer from ${min} to ${max}`);
  return n;
}

export function boolean(key: string, value: unknown, fail: Fail): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return fail(key, value, 'true or false');
}

export function oneOf<T extends string>(key: string, value: unknown, fail: Fail, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(key, value, `one of ${allowed.join(' | ')}`);
  return value as T;
}

export function url(key: string, value: unknown, fail: Fail, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(String(value));
  } catch {
    return fail(key, value, `a URL (${protocols.join(' or ')}//…)`);
  }
  if (!protocols.includes(parsed.protocol)) fail(key, value, `a URL starting with ${protocols.join(' or ')}//`);
  return String(value);
}

export function brokers(key: string, value: unknown, fail: Fail): readonly string[] {
  const list = (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : [])
    .map((b) => b.trim())
    .filter(Boolean);
  if (list.length === 0 || list.some((b) => !/^[^:\s]+:\d{1,5}$/.test(b))) fail(key, value, 'comma-separated host:port pairs');
  return list;
}

/** Kafka's own rule for topic names, checked here so a typo fails at start, not at first publish. */
export function topicName(key: string, value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(value)) {
    fail(key, value, 'a Kafka topic name (letters, digits, . _ -; at most 249)');
  }
  return value;
}

export function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(value);
}
