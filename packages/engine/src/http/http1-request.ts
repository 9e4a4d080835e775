/**
 * Serializes a request for the engine's own HTTP/1.1 client, with the header rules of Go's
 * client (which k6 is): the URL's host unless a Host header is given, the body's length as
 * Content-Length (a user's Content-Length or Transfer-Encoding header is ignored, as Go ignores
 * it), `Content-Length: 0` for a bodyless POST/PUT/PATCH, `Connection` only to close, and no
 * header that could split the message (a name that is not an RFC 9110 token, a value with CR,
 * LF or NUL).
 */

export class InvalidRequestError extends Error {
  readonly code = 'ERR_INVALID_HTTP_REQUEST';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const UNSAFE_VALUE = /[\r\n\0]/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface SerializedHead {
  head: string;
  /** A `Connection: close` was asked for: the connection must not be reused. */
  close: boolean;
}

export function serializeRequestHead(
  method: string,
  path: string,
  hostHeader: string,
  headers: readonly string[],
  bodyLength: number,
  reset: boolean,
): SerializedHead {
  if (!TOKEN.test(method)) throw new InvalidRequestError(`invalid HTTP method "${method}"`);
  let lines = '';
  let host = hostHeader;
  // HTTP/1.1 connections persist by default; Go only writes the header to close one.
  let connection = reset ? 'close' : '';
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] as string;
    const value = headers[i + 1] as string;
    if (!TOKEN.test(name)) throw new InvalidRequestError(`invalid header name "${name}"`);
    if (UNSAFE_VALUE.test(value)) throw new InvalidRequestError(`invalid value for header "${name}": it contains CR, LF or NUL`);
    const lower = name.length === 4 || name.length === 10 || name.length === 14 || name.length === 17 ? name.toLowerCase() : '';
    if (lower === 'host') host = value;
    else if (lower === 'connection') connection = reset ? 'close' : value;
    else if (lower !== 'content-length' && lower !== 'transfer-encoding') lines += `${name}: ${value}\r\n`;
  }
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${lines}`;
  if (bodyLength > 0 || BODY_METHODS.has(method)) head += `Content-Length: ${bodyLength}\r\n`;
  if (connection !== '') head += `Connection: ${connection}\r\n`;
  return { head: `${head}\r\n`, close: connection !== '' && /(^|,)\s*close\s*(,|$)/i.test(connection) };
}

/**
 * The head one connection wrote last, reused when its next request has the same method, path,
 * headers and body length. A load test repeats a few request shapes, and building a head costs
 * a validation and a string build on every request; comparing the inputs costs a few string
 * comparisons. The host is the connection's own, so it is not part of the key.
 */
export class RequestHeadCache {
  private method = '';
  private path = '';
  private headers: readonly string[] = [];
  private bodyLength = -1;
  private reset = false;
  private last: (SerializedHead & { bytes: number }) | undefined;

  /** serializeRequestHead, plus the head's length in UTF-8 bytes; throws as it does. */
  serialize(method: string, path: string, hostHeader: string, headers: readonly string[], bodyLength: number, reset: boolean): SerializedHead & { bytes: number } {
    const last = this.last;
    if (last && method === this.method && path === this.path && bodyLength === this.bodyLength && reset === this.reset && sameStrings(headers, this.headers)) return last;
    const head = serializeRequestHead(method, path, hostHeader, headers, bodyLength, reset);
    this.last = { ...head, bytes: Buffer.byteLength(head.head) };
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.bodyLength = bodyLength;
    this.reset = reset;
    return this.last;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
