/**
 * The hostile inputs, as data. JSON values are raw JSON text (so `1e309`, `-0` and
 * `9007199254740993` reach the server exactly as written, not as JavaScript rounded them);
 * path and query values are raw URL text (already percent-encoded where HTTP requires it).
 */

/** mulberry32: a tiny seeded PRNG, so every run sends exactly the same requests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const INJECTIONS = [
  "1' OR '1'='1",
  '1; DROP TABLE users; --',
  "1 UNION SELECT LOAD_FILE('/etc/passwd')",
  "' OR SLEEP(5) --",
  '{"$gt": ""}',
  '{"$where": "sleep(5000)"}',
  "redis.call('FLUSHALL')",
  "\"]) redis.call('DEL', KEYS[1]) --",
  'EVAL "return 1" 0',
  '\r\nFLUSHALL\r\n',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '\u0000',
  '\ud83d\ude00',
  '\u202e',
] as const;

const json = (value: unknown): string => JSON.stringify(value);

/** Values for a JSON body field: wrong types, numbers at and past the exact range, injections. */
export const JSON_VALUES: readonly string[] = [
  'null', 'true', 'false', '0', '-0', '-1', '1.5', '0.1', '1e3', '1e309', '-1e309', '1E-7',
  '9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740993',
  '18446744073709551616', '1' + '0'.repeat(400), '1000000000001', '1001', '2147483648',
  json('1'), json(''), json('NaN'), json('Infinity'), json('-1'), json('0x10'), json(' 1'), json('1 '),
  json('9007199254740993'), json('true'), json('null'),
  '[]', '[1]', '[null]', '{}', json({ $gt: 0 }), json({ __proto__x: 1 }), json([{ productId: 'x', quantity: 1 }]),
  json([{ productId: 1, quantity: 1, extra: 1 }]), json([{ productId: 1, quantity: 1_000_000 }]),
  json(Array.from({ length: 101 }, () => ({ productId: 1, quantity: 1 }))),
  '['.repeat(200) + ']'.repeat(200),
  ...INJECTIONS.map(json),
  json('x'.repeat(2_000)),
];

/** Values for a path segment or a query parameter. */
export const URL_VALUES: readonly string[] = [
  '0', '-1', '01', '1.5', '1e3', '+1', ' 1', '0x10', 'abc', 'NaN', 'Infinity', 'null', 'undefined', 'true',
  '9007199254740991', '9007199254740992', '9007199254740993', '9999999999999999', '99999999999999999999',
  '1' + '0'.repeat(300), '%00', '1%00', '%20', '1%0d%0aX-Injected:%201', '%', '%zz', '%C0%AF', '%E2%80%AE',
  '..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', '[]', '%5B%5D', '{}', '__proto__', 'constructor',
  ...INJECTIONS.map((s) => encodeURIComponent(s)),
  'A'.repeat(8_000),
];

/** Invalid, truncated or otherwise unreadable JSON bodies. */
export const BROKEN_BODIES: readonly string[] = [
  '', ' ', '{', '}', '{"', '{"userId"', '{"userId":', '{"userId":1', '{"userId":1,}', '{userId:1}', "{'userId':1}",
  '{"userId":01}', '{"userId":NaN}', '{"userId":Infinity}', '{"userId":0x1}', '{"userId":1}}', '{"userId":1}{}',
  '[', 'null', 'true', '1', '"x"', '[]', '[{}]', 'undefined', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\x00"}',
  '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1}\u0000',
  '{"userId":1,"userId":1}', '{"amount":1,"amount":1}', '{"productId":1,"quantity":1,"quantity":1}',
  '{"userId":1,"\\u0075serId":2}', '{"items":[{"productId":1,"productId":1,"quantity":1}]}',
  '\u00ff\u00fe{}', '<?xml version="1.0"?><a/>', 'userId=1',
  // Nested as deep as the largest body limit allows (64 KiB): the parser must not recurse into a crash.
  '['.repeat(30_000) + ']'.repeat(30_000),
  '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
  '{"userId":1,"items":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}',
];

export const BAD_METHODS = ['PROPFIND', 'TRACE', 'CONNECT', 'PURGE', 'MKCOL', 'SEARCH', 'QUERY', 'FOO', 'get', 'G ET', 'GET\u0000', 'X'.repeat(300)];

export const BAD_CONTENT_TYPES = [
  'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/octet-stream', 'application/json; charset=utf-16', 'application/jsonx', 'json', '*/*', ';', 'application/json, text/plain',
];

export const BAD_CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'zstd', 'compress', 'gzip, identity', 'identity, gzip', 'x-unknown', ' GZIP '];
