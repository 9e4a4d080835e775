/**
 * One keep-alive HTTP/1.1 connection of the engine's own client: a TCP socket, the response
 * parser, and the exchange in flight (one at a time, as a k6 VU's requests are; no pipelining).
 *
 * It drives the same Exchange handler undici does, so timings, errors and the Response are built
 * the same way whichever client carried the request. `connecting` is the TCP handshake of a new
 * connection; DNS, when the host is a name, stays in `blocked`.
 */
import { connect, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Exchange } from './exchange.ts';
import { RequestHeadCache } from './http1-request.ts';
import { ResponseParser, type ResponseEvents } from './http1-response-parser.ts';
import { queueSend, type QueuedSend } from './send-batch.ts';
import type { OutgoingRequest } from './outgoing-request.ts';

export interface ConnectionOwner {
  readonly host: string;
  readonly port: number;
  readonly hostHeader: string;
  /** The response ended and the connection can carry another request. */
  release(conn: Http1Connection): void;
  /** The connection is closed: forget it. */
  remove(conn: Http1Connection): void;
  /** A reused connection turned out to be closed before the request got any answer. */
  retry(ex: Exchange, req: OutgoingRequest, reset: boolean): void;
}

/** Go's client retries these on a fresh connection when a reused one fails before any response
 * byte (the server closed an idle connection as we wrote to it); other methods report the error. */
const REPLAYABLE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const noop = (): void => undefined;

/**
 * Every connection reads into this one buffer (`onread`), which skips the Readable stream
 * machinery and a Buffer allocation per read. Sharing it is safe because a read is handled to the
 * end before the next one lands: the parser copies the head and whatever it must keep, and body
 * chunks are copied when the script wants the body.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class SocketClosedError extends Error {
  readonly code = 'ERR_SOCKET_CLOSED_BY_PEER';
}

export class Http1Connection implements ResponseEvents, QueuedSend {
  private readonly socket: Socket;
  private readonly parser = new ResponseParser(this);
  private readonly heads = new RequestHeadCache();
  private ex: Exchange | undefined;
  private req: OutgoingRequest | undefined;
  private reset = false;
  private connected = false;
  private connectStart = performance.now();
  private lastError: Error | undefined;
  private sentBytes = 0;
  private receivedBytes = 0;
  /** The exchange whose request is still being written (its write callback has not run). */
  private writing: Exchange | undefined;
  /** Waiting in the send batch (send-batch.ts). */
  private sendQueued = false;
  /** Responses completed on this connection: a reused one may have been closed by the server. */
  private served = 0;
  closed = false;
  /** performance.now() after which the server's Keep-Alive timeout may have closed it. */
  expiresAt = Number.POSITIVE_INFINITY;

  constructor(private readonly owner: ConnectionOwner) {
    this.socket = connect({ host: owner.host, port: owner.port, noDelay: true, onread: { buffer: READ_BUFFER, callback: this.onSocketRead } });
    // The name lookup is not part of `connecting` (k6 reports it apart, as looking_up).
    if (isIP(owner.host) === 0) this.socket.once('lookup', () => (this.connectStart = performance.now()));
    this.socket.on('connect', this.onSocketConnect);
    this.socket.on('error', this.onSocketError);
    this.socket.on('close', this.onSocketClose);
  }

  send(ex: Exchange, req: OutgoingRequest, reset: boolean): void {
    this.ex = ex;
    this.req = req;
    this.reset = reset;
    this.parser.expect(req.method === 'HEAD');
    this.sentBytes = 0;
    this.receivedBytes = 0;
    // A timeout or an interruption while the connection is still being made closes it.
    ex.abortFn = this.abort;
    // Once per batch: stray bytes can end an exchange before its request went out, and the
    // connection may be handed the next one in the same turn; that one must go out once.
    if (this.connected && !this.sendQueued) {
      this.sendQueued = true;
      queueSend(this);
    }
  }

  flushSend(): void {
    this.sendQueued = false;
    const { ex, req } = this;
    if (!ex || !req || this.closed) return;
    try {
      this.write(ex, req, 0);
    } catch (err) {
      this.close(err as Error);
    }
  }

  /** Closes the connection; an exchange still on it is left to whoever ended it. */
  destroy(): void {
    this.ex = undefined;
    this.closed = true;
    this.socket.destroy();
  }

  /** Closes the connection and fails the exchange still on it (the VU closed its connections). */
  close(reason: Error): void {
    const ex = this.ex;
    this.destroy();
    if (ex) {
      this.chargeBytes(ex);
      ex.onError(reason);
    }
  }

  private write(ex: Exchange, req: OutgoingRequest, connectingMs: number): void {
    ex.attached(this.abort, connectingMs, 0);
    if (ex.done) return; // timed out or cancelled while connecting: abort() closed us
    let head: string;
    let headBytes: number;
    let close: boolean;
    const body = req.body;
    const bodyLength = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    try {
      ({ head, bytes: headBytes, close } = this.heads.serialize(req.method, req.target.path, this.owner.hostHeader, req.headers, bodyLength, this.reset));
    } catch (err) {
      this.ex = undefined;
      this.owner.release(this);
      this.chargeBytes(ex);
      ex.onError(err as Error);
      return;
    }
    if (close) this.expiresAt = 0;
    this.writing = ex;
    // Header values go out as UTF-8, as Go writes a string's bytes.
    this.sentBytes = headBytes + bodyLength;
    if (body === null || bodyLength === 0) {
      this.socket.write(head, 'utf8', this.onWritten);
    } else if (typeof body === 'string') {
      this.socket.write(head + body, 'utf8', this.onWritten);
    } else {
      this.socket.cork();
      this.socket.write(head, 'utf8');
      this.socket.write(body, this.onWritten);
      this.socket.uncork();
    }
  }

  // Listeners are fields so that no closure is allocated per request.
  private readonly abort = (): void => this.destroy();

  private readonly onWritten = (err?: Error | null): void => {
    const ex = this.writing;
    this.writing = undefined;
    if (!err && ex && ex === this.ex) ex.onRequestSent();
  };

  private readonly onSocketConnect = (): void => {
    this.connected = true;
    const { ex, req } = this;
    if (ex && req) this.write(ex, req, performance.now() - this.connectStart);
  };

  private readonly onSocketRead = (nread: number, buf: Buffer): boolean => {
    const ex = this.ex;
    if (!ex) {
      this.destroy(); // bytes on an idle connection: nothing can be trusted after that
      return false;
    }
    this.receivedBytes += nread;
    let done: boolean;
    try {
      done = this.parser.execute(buf, nread);
    } catch (err) {
      this.destroy();
      this.chargeBytes(ex);
      ex.onError(err as Error);
      return false;
    }
    if (done && this.ex === ex) this.complete(ex);
    return true;
  };

  private readonly onSocketError = (err: Error): void => {
    this.lastError = err;
  };

  private readonly onSocketClose = (): void => {
    this.closed = true;
    this.owner.remove(this);
    const ex = this.ex;
    const req = this.req;
    this.ex = undefined;
    if (!ex || !req) return;
    // A reset is an error even where a close would end the body.
    if (!this.lastError && this.parser.closed()) {
      this.complete(ex);
      return;
    }
    this.chargeBytes(ex);
    if (this.served > 0 && this.parser.untouched && !ex.done && REPLAYABLE.has(req.method)) {
      this.owner.retry(ex, req, this.reset);
      return;
    }
    ex.onError(this.lastError ?? new SocketClosedError(this.parser.untouched ? 'the server closed the connection without a response' : 'the server closed the connection before the response was complete'));
  };

  // ResponseEvents: forwarded to the exchange in flight.
  onResponseStarted(): void {
    this.ex?.onResponseStarted();
  }
  onResponseHead(status: number, statusText: string, rawHeaders: readonly string[]): void {
    this.ex?.onHeaders(status, rawHeaders, noop, statusText);
  }
  onBodyData(chunk: Buffer): void {
    const ex = this.ex;
    // The chunk is a view of READ_BUFFER: a kept body needs its own copy.
    if (ex) ex.onData(ex.keepBody ? Buffer.from(chunk) : chunk);
  }

  /** Adds this connection's bytes to the exchange's (a retried request carries both attempts). */
  private chargeBytes(ex: Exchange): void {
    ex.wireBytesOut = Math.max(0, ex.wireBytesOut) + this.sentBytes;
    ex.wireBytesIn = Math.max(0, ex.wireBytesIn) + this.receivedBytes;
    this.sentBytes = 0;
    this.receivedBytes = 0;
  }

  private complete(ex: Exchange): void {
    this.ex = undefined;
    this.req = undefined;
    this.served++;
    this.chargeBytes(ex);
    // Keep-Alive's timeout is an idle timeout: it starts again with every response. The margin
    // (a second, as undici leaves, or half a short timeout) keeps us from writing into a
    // connection the server is closing.
    const timeout = this.parser.keepAliveTimeout * 1000;
    if (this.expiresAt !== 0) this.expiresAt = timeout > 0 ? performance.now() + timeout - Math.min(1000, timeout / 2) : Number.POSITIVE_INFINITY;
    // A request still being written (the server answered before reading all of it) must not be
    // followed by another on the same connection: Go does not reuse it either.
    if (this.parser.keepAlive && !this.closed && this.expiresAt > 0 && this.writing === undefined) this.owner.release(this);
    else this.destroy();
    ex.onComplete();
  }
}
