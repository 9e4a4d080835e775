import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
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
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  refuse(socket, PARSER_ERRORS[err.code ?? ''] ?? 'BAD_REQUEST');
  socket.destroy(err);
}

/**
 * What Node answers itself when nobody listens: a CONNECT (the socket silently closed) and
 * an `Expect` other than 100-continue (a bare 417). Both get the API's error body instead.
 */
export function refuseOutsideRoutes(server: Server): void {
  server.on('connect', (_req, socket: Duplex) => {
    refuse(socket, 'BAD_REQUEST');
    socket.destroy();
  });
  server.on('checkExpectation', (_req, res) => {
    const { statusCode, body } = reply('EXPECTATION_FAILED');
    const json = JSON.stringify(body);
    res
      .writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), connection: 'close' })
      .end(json);
  });
}

function refuse(socket: Duplex, code: ErrorCode): void {
  if (!socket.writable) return;
  const { statusCode, body } = reply(code);
  const json = JSON.stringify(body);
  socket.write(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
