/**
 * Does `value` meet `schema`? Only the JSON-schema keywords the server's routes use; an
 * unknown keyword makes the answer "maybe valid", so a case the generator cannot prove
 * invalid is never sent (a valid request would write data and break the snapshot check).
 */
export type Schema = Readonly<Record<string, unknown>>;

const KNOWN = new Set([
  'type', 'minimum', 'maximum', 'pattern', 'minLength', 'maxLength', 'maxItems', 'items',
  'properties', 'required', 'additionalProperties', 'anyOf',
]);

export function maybeValid(schema: Schema | undefined, value: unknown): boolean {
  if (!schema) return true;
  if (Object.keys(schema).some((k) => !KNOWN.has(k))) return true;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).some((s) => maybeValid(s, value));
  if (typeof schema.type === 'string' && !hasType(schema.type, value)) return false;
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false;
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) return false;
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    const items = schema.items as Schema | undefined;
    if (items && !value.every((v) => maybeValid(items, v))) return false;
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    if (required.some((k) => !(k in value))) return false;
    for (const [k, v] of Object.entries(value)) {
      if (k in properties) {
        if (!maybeValid(properties[k], v)) return false;
      } else if (schema.additionalProperties === false) return false;
    }
  }
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
