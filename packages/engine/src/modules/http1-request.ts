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
