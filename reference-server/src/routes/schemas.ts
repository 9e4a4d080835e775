/**
 * Shared JSON schemas. Ids arrive in the path as strings and ajv type coercion is off (so a
 * body's `"userId": "5"` is rejected rather than silently accepted), hence the pattern:
 * 1..15 digits, no leading zero, always below Number.MAX_SAFE_INTEGER and BIGINT's range.
 */
export const idParam = { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } as const;

export const idBody = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export const errorResponse = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

export function toId(param: string): number {
  return Number(param);
}
