import { describe, expect, it } from 'vitest';
import { InvalidRequestError, RequestHeadCache, serializeRequestHead } from './http1-request.ts';

describe('serializeRequestHead', () => {
  it('writes the request line, Host, the user headers and the body length', () => {
    const { head, close } = serializeRequestHead('POST', '/items?a=1', '127.0.0.1:8080', ['Content-Type', 'application/json', 'X-Id', '7'], 9, false);
    expect(head).toBe('POST /items?a=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nX-Id: 7\r\nContent-Length: 9\r\n\r\n');
    expect(close).toBe(false);
  });

  it('sends Content-Length: 0 for a bodyless POST, none for a GET', () => {
    expect(serializeRequestHead('PUT', '/', 'h', [], 0, false).head).toContain('Content-Length: 0\r\n');
    expect(serializeRequestHead('GET', '/', 'h', [], 0, false).head).not.toContain('Content-Length');
  });

  it('lets a Host header replace the URL host and ignores Content-Length and Transfer-Encoding, as Go does', () => {
    const { head } = serializeRequestHead('POST', '/', 'h', ['host', 'api.test', 'content-length', '999', 'Transfer-Encoding', 'chunked'], 2, false);
    expect(head).toBe('POST / HTTP/1.1\r\nHost: api.test\r\nContent-Length: 2\r\n\r\n');
  });

  it('asks to close the connection when reuse is off or the script asks for it', () => {
    expect(serializeRequestHead('GET', '/', 'h', [], 0, true)).toEqual({ head: 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n', close: true });
    expect(serializeRequestHead('GET', '/', 'h', ['Connection', 'close'], 0, false).close).toBe(true);
    expect(serializeRequestHead('GET', '/', 'h', ['Connection', 'keep-alive'], 0, false).close).toBe(false);
  });

  it('refuses a header or method that would split the message', () => {
    expect(() => serializeRequestHead('GET', '/', 'h', ['X-A', 'v\r\nX-Injected: 1'], 0, false)).toThrow(InvalidRequestError);
    expect(() => serializeRequestHead('GET', '/', 'h', ['Bad Name', 'v'], 0, false)).toThrow(/invalid header name/);
    expect(() => serializeRequestHead('GE T', '/', 'h', [], 0, false)).toThrow(/invalid HTTP method/);
  });
});

describe('RequestHeadCache', () => {
  it('reuses the last head for a request of the same shape and rebuilds it when any input differs', () => {
    const cache = new RequestHeadCache();
    const first = cache.serialize('POST', '/a', 'h', ['X-Id', '1'], 3, false);
    expect(cache.serialize('POST', '/a', 'h', ['X-Id', '1'], 3, false)).toBe(first);
    expect(first.bytes).toBe(Buffer.byteLength(first.head));
    expect(cache.serialize('POST', '/a', 'h', ['X-Id', '2'], 3, false).head).toContain('X-Id: 2\r\n');
    expect(cache.serialize('POST', '/b', 'h', ['X-Id', '2'], 3, false).head).toMatch(/^POST \/b /);
    expect(cache.serialize('POST', '/b', 'h', ['X-Id', '2'], 4, false).head).toContain('Content-Length: 4\r\n');
    expect(cache.serialize('POST', '/b', 'h', ['X-Id', '2'], 4, true).close).toBe(true);
    expect(cache.serialize('POST', '/b', 'h', ['X-Id', '2', 'X-More', 'é'], 4, true).bytes).toBe(Buffer.byteLength(cache.serialize('POST', '/b', 'h', ['X-Id', '2', 'X-More', 'é'], 4, true).head));
  });

  it('keeps refusing a bad header and caches nothing for it', () => {
    const cache = new RequestHeadCache();
    const good = cache.serialize('GET', '/', 'h', ['X-A', 'v'], 0, false);
    expect(() => cache.serialize('GET', '/', 'h', ['X-A', 'v\r\nX-Injected: 1'], 0, false)).toThrow(InvalidRequestError);
    expect(() => cache.serialize('GET', '/', 'h', ['X-A', 'v\r\nX-Injected: 1'], 0, false)).toThrow(InvalidRequestError);
    expect(cache.serialize('GET', '/', 'h', ['X-A', 'v'], 0, false)).toBe(good);
  });
});
