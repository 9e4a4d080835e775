import type { CatalogRoute } from '../../src/route-catalog.ts';
import { BAD_CONTENT_ENCODINGS, BAD_CONTENT_TYPES, BAD_METHODS } from './hostile-values.ts';
import { rawRequest, single } from './raw-request.ts';
import type { HostileCase } from './raw-request.ts';

const TEN_MB = 10 * 1024 * 1024;

/** A request whose answer, if the server ever ran it, would change data: what smuggling tries to sneak in. */
function chargeRequest(userId: number): string {
  const body = '{"amount":1}';
  return `POST /api/users/${userId}/balance/charge HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

/**
 * HTTP-level attacks, independent of any schema: bad methods, content types and encodings,
 * oversized and slow bodies, overlong or too many headers, request smuggling. `target` is a
 * body-taking route (with a valid `body`), so that only the attack itself can be refused.
 */
export function protocolCases(routes: readonly CatalogRoute[], userId: number, slowPauseMs: number): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (name: string, method: string, bytes: Buffer) => cases.push(single(name, method, bytes));
  const posts = routes.filter((r) => r.method === 'POST').map((r) => r.url.replace(/:(\w+)/g, String(userId)));
  const body = '{"amount":1}';
  const charge = `/api/users/${userId}/balance/charge`;

  for (const url of new Set(routes.map((r) => r.url.replace(/:(\w+)/g, '1')))) {
    for (const m of BAD_METHODS) add(`method ${m.slice(0, 20)} ${url}`, m, rawRequest(m, url));
  }
  for (const url of posts) {
    for (const ct of BAD_CONTENT_TYPES) add(`content-type ${ct} ${url}`, 'POST', rawRequest('POST', url, [['Content-Type', ct]], body));
    for (const ce of BAD_CONTENT_ENCODINGS) add(`content-encoding ${ce} ${url}`, 'POST', rawRequest('POST', url, [['Content-Encoding', ce]], body));
    add(`body without content-type ${url}`, 'POST', rawRequest('POST', url, [['Content-Type', '']], body));
    add(`10 MB body ${url}`, 'POST', rawRequest('POST', url, [], Buffer.alloc(TEN_MB, 0x20)));
  }
  const tenMbChunked = `${TEN_MB.toString(16)}\r\n${' '.repeat(TEN_MB)}\r\n0\r\n\r\n`;
  add('10 MB chunked body', 'POST', rawRequest('POST', charge, [['Transfer-Encoding', 'chunked']], tenMbChunked));
  add('10 MB declared, nothing sent', 'POST', rawRequest('POST', charge, [['Content-Length', String(TEN_MB)]], ''));

  // Overlong header lines and too many headers (Node's limit is 16 KiB for the whole head).
  add('header line 20 KB', 'GET', rawRequest('GET', '/health', [['X-Long', 'a'.repeat(20_000)]]));
  add('header line 15 KB', 'GET', rawRequest('GET', '/health', [['X-Long', 'a'.repeat(15_000)]]));
  add('2,000 headers', 'GET', rawRequest('GET', '/health', Array.from({ length: 2_000 }, (_, i) => [`X-H${i}`, 'v'] as const)));
  add('URL 20 KB', 'GET', rawRequest('GET', `/api/users/${'1'.repeat(20_000)}/balance`));
  add('header name with space', 'GET', rawRequest('GET', '/health', [['X Bad', 'v']]));
  add('header without colon', 'GET', Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n'));
  add('NUL in header value', 'GET', rawRequest('GET', '/health', [['X-A', 'a\u0000b']]));
  add('obs-fold header', 'POST', Buffer.from(`POST ${charge} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length:\r\n ${body.length}\r\n\r\n${body}`));
  add('bare LF line endings', 'GET', Buffer.from('GET /health HTTP/1.1\nHost: x\nConnection: close\n\n'));
  add('HTTP/0.9 request', 'GET', Buffer.from('GET /health\r\n\r\n'));
  add('HTTP/2 preface', 'PRI', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
  add('HTTP/9.9', 'GET', Buffer.from('GET /health HTTP/9.9\r\nHost: x\r\n\r\n'));
  add('absolute-form target', 'GET', rawRequest('GET', 'http://evil.example/health'));
  add('asterisk target', 'OPTIONS', rawRequest('OPTIONS', '*'));
  add('Upgrade: websocket', 'GET', rawRequest('GET', '/health', [['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='], ['Sec-WebSocket-Version', '13']]));
  add('Upgrade: h2c', 'POST', rawRequest('POST', charge, [['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAAQAAP__']], '{"amount":"1"}'));
  add('Expect: 100-continue', 'POST', rawRequest('POST', charge, [['Expect', '100-continue']], '{"amount":"1"}'));
  add('Expect: unknown', 'POST', rawRequest('POST', charge, [['Expect', 'x-unknown']], '{"amount":"1"}'));
  add('garbage', '?', Buffer.from('\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003', 'latin1'));

  // Smuggling: each carries a charge that must never run. A server reading the framing one way
  // and a proxy another would execute it; ours must refuse the ambiguity outright.
  const smuggled = chargeRequest(userId);
  const framed = (te: string, cl: string | null, chunkBody: string): Buffer =>
    Buffer.from(
      `POST ${charge} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${cl === null ? '' : `Content-Length: ${cl}\r\n`}${te}\r\n${chunkBody}`,
      'latin1',
    );
  const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n${smuggled}`;
  const smuggles: [string, Buffer][] = [
    ['CL+TE', framed('Transfer-Encoding: chunked\r\n', '4', chunked)],
    ['TE+CL', framed('Transfer-Encoding: chunked\r\n', String(chunked.length), chunked)],
    ['TE xchunked', framed('Transfer-Encoding: xchunked\r\n', '4', chunked)],
    ['TE space before colon', framed('Transfer-Encoding : chunked\r\n', '4', chunked)],
    ['TE tab', framed('Transfer-Encoding:\tchunked\r\n', '4', chunked)],
    ['TE chunked, identity', framed('Transfer-Encoding: chunked, identity\r\n', null, chunked)],
    ['TE identity, chunked + CL', framed('Transfer-Encoding: identity, chunked\r\n', '4', chunked)],
    ['TE twice', framed('Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n', null, chunked)],
    ['TE CHUNKED upper + CL', framed('Transfer-Encoding: CHUNKED\r\n', '4', chunked)],
    ['TE with vertical tab', framed('Transfer-Encoding:\u000bchunked\r\n', '4', chunked)],
    ['TE in obs-fold', framed('X-Foo: a\r\n Transfer-Encoding: chunked\r\n', '4', chunked)],
    ['double CL differing', framed('Content-Length: 200\r\n', String(body.length), body + smuggled)],
    ['double CL equal', framed(`Content-Length: ${body.length}\r\n`, String(body.length), body + smuggled)],
    ['CL with plus', framed('', `+${body.length}`, body + smuggled)],
    ['CL negative', framed('', '-1', body + smuggled)],
    ['CL list', framed('', `${body.length}, ${body.length}`, body + smuggled)],
    ['CL hex', framed('', '0xc', body + smuggled)],
    ['CL overflow', framed('', '99999999999999999999999', body + smuggled)],
    ['chunk size overflow', framed('Transfer-Encoding: chunked\r\n', null, `ffffffffffffffffff\r\n${body}\r\n0\r\n\r\n${smuggled}`)],
    ['chunk size with junk', framed('Transfer-Encoding: chunked\r\n', null, `c;ext="a\r\n${body}\r\n0\r\n\r\n${smuggled}`)],
    ['chunk LF only', framed('Transfer-Encoding: chunked\r\n', null, `c\n${body}\n0\n\n${smuggled}`)],
    ['GET with CL body', Buffer.from(`GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`)],
    ['CR in request line', Buffer.from(`POST ${charge}\rX HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`)],
  ];
  for (const [name, bytes] of smuggles) add(`smuggle ${name}`, bytes.toString('latin1').split(' ')[0] ?? '', bytes);

  // Slow bodies: trickled within the request timeout (answered), and past it (cut off).
  const bad = Buffer.from('{"amount":"1","pad":"' + 'x'.repeat(40) + '"}');
  const head = (length: number) => Buffer.from(`POST ${charge} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
  const trickle = (n: number) => Array.from({ length: n }, (_, i) => bad.subarray(Math.floor((i * bad.length) / n), Math.floor(((i + 1) * bad.length) / n)));
  cases.push({ name: 'slow body within the timeout', method: 'POST', pieces: [head(bad.length), ...trickle(4)], pauseMs: slowPauseMs });
  cases.push({ name: 'slow body past the timeout', method: 'POST', pieces: [head(bad.length), ...trickle(bad.length)], pauseMs: slowPauseMs });
  cases.push({ name: 'slow head', method: 'GET', pieces: [...'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'].map((ch) => Buffer.from(ch)), pauseMs: slowPauseMs });
  return cases;
}
