import { describe, expect, it } from 'vitest';
import { ResponseParseError, ResponseParser } from './http1-response-parser.ts';

interface Seen {
  started: number;
  status: number;
  statusText: string;
  headers: readonly string[];
  body: string;
}

function parser(isHead = false): { p: ResponseParser; seen: Seen } {
  const seen: Seen = { started: 0, status: 0, statusText: '', headers: [], body: '' };
  const p = new ResponseParser({
    onResponseStarted: () => seen.started++,
    onResponseHead: (status, statusText, headers) => Object.assign(seen, { status, statusText, headers }),
    onBodyData: (chunk) => (seen.body += chunk.toString('latin1')),
  });
  p.expect(isHead);
  return { p, seen };
}

/** Feeds the message one byte at a time: every state must survive a split anywhere. */
function feedBytewise(p: ResponseParser, msg: string): boolean {
  const b = Buffer.from(msg, 'latin1');
  let done = false;
  for (let i = 0; i < b.length; i++) {
    expect(done, `complete before byte ${i}`).toBe(false);
    done = p.execute(b.subarray(i, i + 1));
  }
  return done;
}

const LENGTH = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED = 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';
/** A length-framed and a chunked message, with the body each carries. */
const FRAMINGS = [
  [LENGTH, 'hello'],
  [CHUNKED, 'hello, world'],
] as const;

describe('ResponseParser', () => {
  it('parses a Content-Length response in one read, headers as written', () => {
    const { p, seen } = parser();
    expect(p.execute(Buffer.from(LENGTH))).toBe(true);
    expect(seen).toEqual({ started: 1, status: 200, statusText: 'OK', headers: ['Content-Type', 'text/plain', 'Content-Length', '5'], body: 'hello' });
    expect(p.keepAlive).toBe(true);
  });

  it('parses length-framed and chunked responses split at every byte', () => {
    for (const [msg, body] of FRAMINGS) {
      const { p, seen } = parser();
      expect(feedBytewise(p, msg)).toBe(true);
      expect(seen.body).toBe(body);
      expect(seen.started).toBe(1);
      expect(p.keepAlive).toBe(true);
    }
  });

  it('reads only the valid bytes of a reused read buffer, whatever stale bytes follow them', () => {
    for (const [msg, body] of FRAMINGS) {
      const { p, seen } = parser();
      const src = Buffer.from(msg, 'latin1');
      const reused = Buffer.alloc(256, '\r\n\r\n0\r\n\r\n');
      let done = false;
      for (let i = 0; i < src.length; i += 3) {
        const n = Math.min(3, src.length - i);
        reused.fill('\r\n\r\n0\r\n\r\n');
        src.copy(reused, 0, i, i + n);
        expect(done).toBe(false);
        done = p.execute(reused, n);
      }
      expect(done).toBe(true);
      expect(seen.body).toBe(body);
    }
  });

  it('skips interim 1xx responses and reports the final one', () => {
    const { p, seen } = parser();
    expect(p.execute(Buffer.from(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n${LENGTH}`))).toBe(true);
    expect(seen.status).toBe(200);
    expect(seen.body).toBe('hello');
  });

  it('reads no body for HEAD, 204 and 304, whatever Content-Length says', () => {
    const head = parser(true);
    expect(head.p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'))).toBe(true);
    expect(head.seen.body).toBe('');
    for (const status of ['204 No Content', '304 Not Modified']) {
      const { p } = parser();
      expect(p.execute(Buffer.from(`HTTP/1.1 ${status}\r\nContent-Length: 10\r\n\r\n`))).toBe(true);
    }
  });

  it('reads a body without length until the connection closes, and never reuses it', () => {
    const { p, seen } = parser();
    expect(p.execute(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart one,'))).toBe(false);
    expect(p.execute(Buffer.from(' part two'))).toBe(false);
    expect(p.closed()).toBe(true);
    expect(seen.body).toBe('part one, part two');
    expect(p.keepAlive).toBe(false);
  });

  it('reports a response cut short by the close', () => {
    const { p } = parser();
    expect(p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'))).toBe(false);
    expect(p.closed()).toBe(false);
    const fresh = parser();
    expect(fresh.p.untouched).toBe(true);
    expect(fresh.p.closed()).toBe(false);
  });

  it('honours Connection: close, HTTP/1.0 defaults and the Keep-Alive timeout', () => {
    const close = parser();
    close.p.execute(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
    expect(close.p.keepAlive).toBe(false);
    const old = parser();
    old.p.execute(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
    expect(old.p.keepAlive).toBe(false);
    const oldKeep = parser();
    oldKeep.p.execute(Buffer.from('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n'));
    expect(oldKeep.p.keepAlive).toBe(true);
    expect(oldKeep.p.keepAliveTimeout).toBe(5);
  });

  it('gives Transfer-Encoding precedence over Content-Length and then closes the connection', () => {
    const { p, seen } = parser();
    expect(p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'))).toBe(true);
    expect(seen.body).toBe('hello');
    expect(p.keepAlive).toBe(false);
  });

  it('marks the connection unusable when bytes follow the response', () => {
    const { p } = parser();
    expect(p.execute(Buffer.from(`${LENGTH}HTTP/1.1 200 OK\r\n`))).toBe(true);
    expect(p.keepAlive).toBe(false);
  });

  it('reuses the previous head when a response repeats it, and re-parses when it changes', () => {
    const { p, seen } = parser();
    p.execute(Buffer.from(LENGTH));
    const first = seen.headers;
    p.expect(false);
    p.execute(Buffer.from(LENGTH));
    expect(seen.headers).toBe(first);
    p.expect(false);
    p.execute(Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno'));
    expect(seen).toMatchObject({ status: 404, statusText: 'Not Found', body: 'hellohellono' });
  });

  it('rejects malformed messages with a parse error', () => {
    for (const msg of [
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXX',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n',
    ]) {
      const { p } = parser();
      expect(() => p.execute(Buffer.from(msg)), msg).toThrow(ResponseParseError);
    }
  });

  it('refuses an endless header block instead of buffering it', () => {
    const { p } = parser();
    const line = Buffer.from(`X-Filler: ${'a'.repeat(65_536)}\r\n`);
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\n'));
    expect(() => {
      for (let i = 0; i < 40; i++) p.execute(line);
    }).toThrow(/longer than/);
  });
});
