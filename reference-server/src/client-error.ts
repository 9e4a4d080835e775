import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { reply } from './errors.ts';
import type { ErrorCode } from './errors.ts';

/** Node's parser errors that have a status of their own; any other is a malformed request. */
const PARSER_ERRORS: Readonly<Record<string, ErrorCode>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
};

/**
 * Requests Node's HTTP parser refuses before fastify sees them (bad method or framing,
 * smuggling attempts, overlong heads, slow clients) get the API's error body too — fastify's
 * default writes its own `{error, message, statusCode}` shape. The connection is closed after,
 * as Node does: after a framing error nothing more on it can be trusted.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { statusCode, body } = reply(PARSER_ERRORS[err.code ?? ''] ?? 'BAD_REQUEST');
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(err);
}
