/**
 * A VU's keep-alive connections to one origin, for the engine's own HTTP/1.1 client: an idle
 * connection is reused (most recently used first, so a VU that sends one request at a time keeps
 * one warm connection), otherwise a new one is opened, without limit, as Go's client does for a
 * VU's concurrent asyncRequests.
 */
import { performance } from 'node:perf_hooks';
import type { Exchange } from './exchange.ts';
import type { OutgoingRequest } from './outgoing-request.ts';
import { Http1Connection, type ConnectionOwner } from './http1-connection.ts';

export class Http1Pool implements ConnectionOwner {
  readonly host: string;
  readonly port: number;
  readonly hostHeader: string;
  private readonly idle: Http1Connection[] = [];
  private readonly open = new Set<Http1Connection>();

  constructor(url: URL) {
    // net.connect wants an IPv6 address without its URL brackets.
    this.host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port === '' ? 80 : Number(url.port);
    this.hostHeader = url.host;
  }

  dispatch(ex: Exchange, req: OutgoingRequest, reset: boolean): void {
    let conn: Http1Connection | undefined;
    while ((conn = this.idle.pop()) !== undefined) {
      if (!conn.closed && (conn.expiresAt === Number.POSITIVE_INFINITY || conn.expiresAt > performance.now())) break;
      conn.destroy();
    }
    if (conn === undefined) {
      conn = new Http1Connection(this);
      this.open.add(conn);
    }
    conn.send(ex, req, reset);
  }

  release(conn: Http1Connection): void {
    this.idle.push(conn);
  }

  remove(conn: Http1Connection): void {
    this.open.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }

  retry(ex: Exchange, req: OutgoingRequest, reset: boolean): void {
    const conn = new Http1Connection(this);
    this.open.add(conn);
    conn.send(ex, req, reset);
  }

  /** Closes every connection; a request still in flight fails with `reason`. */
  close(reason: Error): void {
    for (const conn of this.open) conn.close(reason);
    this.open.clear();
    this.idle.length = 0;
  }
}
