import { describe, expect, it } from 'vitest';
import { hasDuplicateKey } from './duplicate-json-key.ts';

describe('hasDuplicateKey', () => {
  it.each([
    ['{"userId":1,"userId":2}', true],
    ['{"a":1,"\\u0061":2}', true],
    ['{"items":[{"productId":1,"productId":2}]}', true],
    ['{"a":{"b":1},"c":{"b":2}}', false],
    ['{"a":"userId","userId":"a"}', false],
    ['{"a":["x","x"],"b":"\\"a\\""}', false],
    ['[{"a":1},{"a":1}]', false],
    ['{"userId":1}', false],
  ])('%s → %s', (text, expected) => {
    expect(hasDuplicateKey(text)).toBe(expected);
  });
});
