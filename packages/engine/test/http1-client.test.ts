/**
 * The engine's own HTTP/1.1 client on real sockets, against a raw TCP server that answers what
 * each test scripts: connection reuse, a server that drops an idle keep-alive connection, bodies
 * framed by chunks or by the close, broken responses, and exact data_sent/data_received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { run, type RunResult } from '../src/index.ts';
import { writeScript } from './helpers/script-file.ts';

interface RawServer {
  base: string;
  connections: number;
  bytesIn: number;
  bytesOut: number;
  /** Request heads, decoded as UTF-8. */
  requests: string[];
}

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
});

/** `answer(request head, index of the request on its connection, socket)` writes the reply. */
async function rawServer(answer: (head: string, nth: number, socket: Socket, raw: RawServer) => void): Promise<RawServer> {
  const raw: RawServer = { base: '', connections: 0, bytesIn: 0, bytesOut: 0, requests: [] };
  server = createServer((socket) => {
    raw.connections++;
    let nth = 0;
    let buf = Buffer.alloc(0);
    const write = socket.write.bind(socket);
    socket.write = ((chunk: string | Buffer, ...rest: never[]) => {
      raw.bytesOut += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'latin1') : chunk.length;
      return write(chunk, ...rest);
    }) as typeof socket.write;
    socket.on('data', (d: Buffer) => {
      raw.bytesIn += d.length;
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.toString('utf8', 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        raw.requests.push(head);
        answer(head, nth++, socket, raw);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  raw.base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return raw;
}

async function runScript(body: string, raw: RawServer, options = '{ iterations: 1 }'): Promise<RunResult> {
  const { path } = writeScript(`
    import http from 'k6/http';
    import { check } from 'k6';
    export const options = ${options};
    export default async function () { ${body} }`);
  return run({ script: path, env: { BASE: raw.base } });
}

/** The checks that did not pass every time. The run must have produced a summary with exactly
 * `count` distinct checks: a script that never ran, or stopped before a check, fails here instead
 * of reading as "no failed check". */
/** The checks that failed; a script whose every request fails is expected to say so (exit 110). */
function failedChecks(r: RunResult, count: number, allRequestsFail = false): string[] {
  if (allRequestsFail) expect(r.error).toMatch(/no HTTP request succeeded/);
  else expect(r.error).toBeUndefined();
  const checks = r.summary?.root_group.checks;
  expect(checks?.map((c) => c.name)).toHaveLength(count);
  return (checks ?? []).filter((c) => c.fails > 0 || c.passes === 0).map((c) => c.name);
}
const ok = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('the engine HTTP/1.1 client', () => {
  it('reuses one keep-alive connection per VU and counts the exact bytes on the wire', async () => {
    const raw = await rawServer((_h, _n, s) => s.write(ok('hello')));
    const r = await runScript(`
      for (let i = 0; i < 5; i++) {
        const res = await http.asyncRequest('POST', __ENV.BASE + '/p?i=' + i, 'é'.repeat(i), { headers: { 'X-Seq': String(i), 'X-Name': 'héllo' } });
        check(res, { 'hello': (r) => r.status === 200 && r.body === 'hello', 'no new connection': (r) => i === 0 || r.timings.connecting === 0 });
      }`, raw);
    expect(r.exitCode).toBe(0);
    expect(failedChecks(r, 2)).toEqual([]);
    expect(raw.connections).toBe(1);
    // Header values and bodies go out as UTF-8 ('é' is two bytes), as Go writes them.
    expect(raw.requests[3]).toMatch(/^POST \/p\?i=3 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nX-Seq: 3\r\nX-Name: héllo\r\nUser-Agent: [^\r]+\r\nContent-Length: 6$/);
    expect(r.summary?.metrics.data_sent?.values.count).toBe(raw.bytesIn);
    expect(r.summary?.metrics.data_received?.values.count).toBe(raw.bytesOut);
  });

  it('retries a GET on a fresh connection when the server dropped the idle one, but reports a POST', async () => {
    // Every connection answers its first request and silently drops on the second.
    const raw = await rawServer((_h, nth, s) => (nth === 0 ? s.write(ok('first')) : s.end()));
    const r = await runScript(`
      const a = await http.asyncRequest('GET', __ENV.BASE + '/a');
      const b = await http.asyncRequest('GET', __ENV.BASE + '/b');
      const c = await http.asyncRequest('POST', __ENV.BASE + '/c', 'body');
      check(a, { 'a ok': (r) => r.status === 200 });
      check(b, { 'b retried and ok': (r) => r.status === 200 && r.body === 'first' });
      check(c, { 'c failed with an error': (r) => r.status === 0 && r.error_code === 1000 && /closed the connection/.test(r.error) });`, raw);
    expect(failedChecks(r, 3)).toEqual([]);
    expect(raw.requests.map((h) => h.split(' ').slice(0, 2).join(' '))).toEqual(['GET /a', 'GET /b', 'GET /b', 'POST /c']);
  });

  it('reads chunked bodies and bodies delimited by the close of the connection', async () => {
    const raw = await rawServer((head, _n, s) => {
      if (head.startsWith('GET /chunked')) s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
      if (head.startsWith('GET /chunked')) setTimeout(() => s.write('4\r\ndefg\r\n0\r\n\r\n'), 20);
      if (head.startsWith('GET /close')) s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
      if (head.startsWith('GET /reset')) {
        s.write('HTTP/1.1 200 OK\r\n\r\ncut short');
        setTimeout(() => s.resetAndDestroy(), 20);
      }
    });
    const r = await runScript(`
      const a = await http.asyncRequest('GET', __ENV.BASE + '/chunked');
      const b = await http.asyncRequest('GET', __ENV.BASE + '/close');
      const c = await http.asyncRequest('GET', __ENV.BASE + '/chunked');
      const d = await http.asyncRequest('GET', __ENV.BASE + '/reset');
      check(a, { 'chunked body': (r) => r.body === 'abcdefg' && r.timings.receiving >= 10 });
      check(b, { 'close-delimited body': (r) => r.body === 'until the end' });
      check(c, { 'chunked again': (r) => r.body === 'abcdefg' });
      check(d, { 'a reset is not the end of a close-delimited body': (r) => r.status === 0 && r.error_code === 1220 });`, raw);
    expect(failedChecks(r, 4)).toEqual([]);
    expect(raw.connections).toBe(2); // the close-delimited response used up the first connection
  });

  it('keeps a connection while the Keep-Alive idle timeout restarts with every response', async () => {
    const raw = await rawServer((_h, _n, s) => s.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=2\r\nContent-Length: 0\r\n\r\n'));
    const r = await runScript(`
      for (let i = 0; i < 4; i++) {
        check(await http.asyncRequest('GET', __ENV.BASE + '/'), { ok: (r) => r.status === 200 });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }`, raw);
    expect(failedChecks(r, 1)).toEqual([]);
    expect(raw.connections).toBe(1); // 2 s of requests, never 1 s idle
  });

  it('does not reuse a connection whose request body was still being written when the answer came', async () => {
    const body = 16 * 1024 * 1024;
    // Answers 413 as soon as the head of the upload is in, while the body is still arriving.
    server = createServer((socket) => {
      raw.connections++;
      let seen = '';
      socket.on('data', (d: Buffer) => {
        if (seen.length < 4096) seen += d.toString('latin1');
        if (seen.startsWith('POST /upload') && !seen.includes('answered') && seen.includes('\r\n\r\n')) {
          seen += 'answered';
          socket.write('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n');
        } else if (seen.startsWith('GET /after') && seen.includes('\r\n\r\n')) {
          socket.write(ok('fresh'));
        }
      });
      socket.on('error', () => undefined);
    });
    const raw: RawServer = { base: '', connections: 0, bytesIn: 0, bytesOut: 0, requests: [] };
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    raw.base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const r = await runScript(`
      const up = await http.asyncRequest('POST', __ENV.BASE + '/upload', 'x'.repeat(${body}));
      const after = await http.asyncRequest('GET', __ENV.BASE + '/after');
      check(up, { '413': (r) => r.status === 413 });
      check(after, { 'answered on a fresh connection': (r) => r.status === 200 && r.body === 'fresh' && r.timings.connecting > 0 });`, raw);
    expect(failedChecks(r, 2)).toEqual([]);
    expect(raw.connections).toBe(2);
  });

  it('decodes response header values as UTF-8, as k6 does', async () => {
    const raw = await rawServer((_h, _n, s) => s.write(Buffer.from('HTTP/1.1 200 OK\r\nX-Name: héllo wörld\r\nContent-Length: 0\r\n\r\n', 'utf8')));
    const r = await runScript(`
      check(await http.asyncRequest('GET', __ENV.BASE + '/'), { utf8: (r) => r.headers['X-Name'] === 'héllo wörld' });`, raw);
    expect(failedChecks(r, 1)).toEqual([]);
  });

  it('turns a malformed or truncated response into a request error, not a crash', async () => {
    const raw = await rawServer((head, _n, s) => {
      if (head.startsWith('GET /garbage')) s.write('HTTP/1.1 2xx nope\r\n\r\n');
      else s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort');
    });
    const r = await runScript(`
      const a = await http.asyncRequest('GET', __ENV.BASE + '/garbage');
      const b = await http.asyncRequest('GET', __ENV.BASE + '/truncated');
      check(a, { 'parse error': (r) => r.status === 0 && r.error_code === 1000 && /malformed status line/.test(r.error) });
      check(b, { 'truncated': (r) => r.status === 0 && /before the response was complete/.test(r.error) });`, raw);
    expect(failedChecks(r, 2, true)).toEqual([]);
    expect(r.summary?.metrics.http_req_failed?.values.rate).toBe(1);
  });

  it('closes the connection after each request with noConnectionReuse', async () => {
    const raw = await rawServer((_h, _n, s) => s.write(ok('x')));
    const r = await runScript(`
      for (let i = 0; i < 3; i++) check(await http.asyncRequest('GET', __ENV.BASE + '/'), { ok: (r) => r.status === 200 });`, raw, '{ iterations: 1, noConnectionReuse: true }');
    expect(failedChecks(r, 1)).toEqual([]);
    expect(raw.connections).toBe(3);
    expect(raw.requests.every((h) => h.endsWith('Connection: close'))).toBe(true);
  });

  it('refuses a header value that would inject another header', async () => {
    const raw = await rawServer((_h, _n, s) => s.write(ok('x')));
    const r = await runScript(`
      const res = await http.asyncRequest('GET', __ENV.BASE + '/', null, { headers: { 'X-A': 'v\\r\\nX-Injected: 1' } });
      check(res, { refused: (r) => r.status === 0 && /CR, LF or NUL/.test(r.error) });`, raw);
    expect(failedChecks(r, 1, true)).toEqual([]);
    expect(raw.requests).toEqual([]);
  });
});
