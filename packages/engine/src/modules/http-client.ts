/**
 * A VU's HTTP client. k6 gives every VU its own connection pool, so each VU has its own pools, one
 * per origin, reached through a Map lookup:
 *
 * - `http:` origins go to the engine's own HTTP/1.1 client (http1-pool.ts): keep-alive
 *   connections on `net` sockets and a parser that handles a small response in one pass. The
 *   load generator's CPU per request is what bounds its throughput, and on undici the engine
 *   spends 30–36 µs more per request (bench/http-throughput.ts runs it both ways).
 * - `https:` origins, and every origin when `httpClient: 'undici'` is chosen, go to undici's
 *   low-level `dispatch` API on keep-alive Pools: TLS, ALPN and certificate handling are where a
 *   well-kept library matters more than a few microseconds.
 *
 * Both drive the same Exchange handler, which timestamps each phase with the monotonic clock:
 *
 *   start ─ blocked ─ [connecting ─ tls] ─ attached ─ sending ─ onRequestSent ─ waiting ─
 *   first response byte ─ receiving ─ complete
 *
 * `connecting`/`tls` are attributed to the request that was waiting for that new connection (exact
 * for the usual one-request-at-a-time VU). Neither client exposes DNS time separately, so it is
 * part of `blocked`.
 */
import { buildConnector, Pool } from 'undici';
import type { Socket } from 'node:net';
// The module's binding rather than the `performance` global, which is a getter: a hot path.
import { performance } from 'node:perf_hooks';
import type { HttpConfig } from '../runtime/run-context.ts';
import { unwatchDeadlines, watchDeadlines, type DeadlineSource } from './request-deadlines.ts';
import { Http1Pool } from './http1-pool.ts';
import type { PreparedRequest } from './request-params.ts';
import type { ResponseTimings } from './http-response.ts';

/** Whoever waits for an exchange: k6/http's request (k6-http.ts), a bench harness. */
export interface ExchangeOwner {
  exchangeDone(ex: Exchange): void;
}

export class Exchange {
  readonly t0 = performance.now();
  tConnect = 0;
  tSent = 0;
  tFirstByte = 0;
  tEnd = 0;
  status = 0;
  statusText = '';
  /** Flat [name, value…] list: Buffers from undici, strings from the HTTP/1.1 client. */
  rawHeaders: ReadonlyArray<Buffer | string> | null = null;
  /** Body chunks: the first one alone (the usual case) needs no array. */
  firstChunk: Buffer | undefined;
  moreChunks: Buffer[] | undefined;
  bodyBytes = 0;
  error: (Error & { code?: string }) | undefined;
  timedOut = false;
  connecting = 0;
  tlsHandshaking = 0;
  /** Bytes on the wire, when the client counted them (-1: estimate from the message). */
  wireBytesOut = -1;
  wireBytesIn = -1;
  done = false;
  cancelled = false;
  abortFn: ((err: Error) => void) | undefined;
  /** performance.now() after which the request times out (Infinity: no timeout). */
  deadline = Number.POSITIVE_INFINITY;
  /** Told once when the exchange ends, unless it was cancelled. */
  owner!: ExchangeOwner;
  /** Links of the client's in-flight list. */
  prev: Exchange | undefined;
  next: Exchange | undefined;

  constructor(
    private readonly client: VuHttpClient,
    readonly keepBody: boolean,
  ) {}

  /** The request outlived its timeout (k6's error code 1050). */
  expire(): void {
    this.timedOut = true;
    const err = Object.assign(new Error('request timeout'), { code: 'K6_REQUEST_TIMEOUT' });
    this.error = err;
    if (this.abortFn) this.abortFn(err);
    this.finish(err);
  }

  /** Interrupted VU: abort the request and never settle the promise. */
  cancel(): void {
    this.cancelled = true;
    const err = new Error('request cancelled: iteration interrupted');
    if (this.abortFn) this.abortFn(err);
    this.finish(err);
  }

  // undici's classic handler interface: cheaper than the controller-based one (no header object
  // parsing unless the script reads headers) and it has onResponseStarted for the first byte.
  onConnect(abort: (err: Error) => void): void {
    const c = this.client.takeConnectTiming();
    this.attached(abort, c ? c.connecting : 0, c ? c.tls : 0);
  }
  /** The request is on a connection (a retry on a fresh one attaches again). */
  attached(abort: (err: Error) => void, connectingMs: number, tlsMs: number): void {
    this.abortFn = abort;
    if (this.done) {
      abort(this.error ?? new Error('request cancelled'));
      return;
    }
    this.tConnect = performance.now();
    this.connecting += connectingMs;
    this.tlsHandshaking += tlsMs;
  }
  onRequestSent(): void {
    this.tSent = performance.now();
  }
  onResponseStarted(): void {
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
  }
  onHeaders(status: number, rawHeaders: ReadonlyArray<Buffer | string>, _resume: () => void, statusText: string): boolean {
    if (status < 200 && status !== 101) return true; // 1xx informational: wait for the real one
    this.status = status;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    return true;
  }
  onData(chunk: Buffer): boolean {
    this.bodyBytes += chunk.length;
    if (this.keepBody) {
      if (!this.firstChunk) this.firstChunk = chunk;
      else (this.moreChunks ??= []).push(chunk);
    }
    return true;
  }
  onComplete(): void {
    this.finish(undefined);
  }
  onError(err: Error): void {
    this.finish(err);
  }
  onUpgrade(): void {
    this.finish(new Error('protocol upgrades are not supported by k6/http'));
  }
  onBodySent(): void {}

  finish(err: Error | undefined): void {
    if (this.done) return;
    this.done = true;
    this.tEnd = performance.now();
    if (err && !this.error) this.error = err;
    this.client.untrack(this);
    if (!this.cancelled) this.owner.exchangeDone(this);
  }

  body(): Buffer {
    if (!this.firstChunk) return Buffer.alloc(0);
    return this.moreChunks ? Buffer.concat([this.firstChunk, ...this.moreChunks]) : this.firstChunk;
  }

  /** k6's Response.timings; `duration` is sending + waiting + receiving, as in k6. */
  timings(): ResponseTimings {
    const connected = this.tConnect || this.tEnd;
    const sent = this.tSent || connected;
    const first = this.tFirstByte || this.tEnd;
    const sending = Math.max(0, sent - connected);
    const waiting = Math.max(0, first - sent);
    const receiving = Math.max(0, this.tEnd - first);
    return {
      duration: sending + waiting + receiving,
      blocked: Math.max(0, connected - this.t0 - this.connecting - this.tlsHandshaking),
      looking_up: 0,
      connecting: this.connecting,
      tls_handshaking: this.tlsHandshaking,
      sending,
      waiting,
      receiving,
    };
  }
}

/**
 * In-flight exchanges are kept in an intrusive doubly linked list (the Exchange holds its links)
 * rather than in a Set: tracking costs two pointer writes, where a Set's hashing, add and delete
 * cost several µs of CPU per request in the engine's profile. The list is walked for deadlines
 * (request-deadlines.ts) and to cancel an interrupted VU's requests.
 */
export class VuHttpClient implements DeadlineSource {
  private inFlight: Exchange | undefined;
  /** Requests in flight; `onIdle` runs when it falls to zero. */
  inFlightCount = 0;
  onIdle: (() => void) | undefined;
  private watching = false;
  private readonly pools = new Map<string, Pool>();
  private readonly http1Pools = new Map<string, Http1Pool>();
  private connector: buildConnector.connector | undefined;
  private connectTimings: Array<{ connecting: number; tls: number }> = [];

  constructor(private readonly config: HttpConfig) {}

  takeConnectTiming(): { connecting: number; tls: number } | undefined {
    return this.connectTimings.shift();
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connect: this.getConnector(), pipelining: 1 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private getConnector(): buildConnector.connector {
    if (this.connector) return this.connector;
    const base = buildConnector({ rejectUnauthorized: !this.config.insecureSkipTLSVerify, timeout: 30_000 });
    const connect = (opts: buildConnector.Options, cb: buildConnector.Callback): Socket => {
      const start = performance.now();
      let tcpDone = 0;
      const socket = (base as unknown as (o: buildConnector.Options, c: buildConnector.Callback) => Socket)(opts, (...args) => {
        if (!args[0]) {
          const end = performance.now();
          const tcp = tcpDone || end;
          this.connectTimings.push({ connecting: tcp - start, tls: tcpDone ? end - tcpDone : 0 });
          if (this.connectTimings.length > 16) this.connectTimings.shift();
        }
        cb(...args);
      });
      if (opts.protocol === 'https:') socket.once('connect', () => (tcpDone = performance.now()));
      return socket;
    };
    this.connector = connect as unknown as buildConnector.connector;
    return this.connector;
  }

  /** Sends one request and tells `owner` when it ends, with any error in `exchange.error`;
   * never once the exchange was cancelled, which is how an interrupted iteration is abandoned.
   * No closure and no promise per request: the Exchange is the handler, the list entry and the
   * deadline, and the owner's callback runs in the I/O callback that ended the exchange. */
  dispatch(req: PreparedRequest, owner: ExchangeOwner): void {
    const ex = new Exchange(this, req.responseType !== 'none');
    ex.owner = owner;
    this.track(ex);
    if (req.timeoutMs > 0) {
      ex.deadline = ex.t0 + req.timeoutMs;
      if (!this.watching) {
        this.watching = true;
        watchDeadlines(this);
      }
    }
    try {
      const target = req.target;
      if (this.config.client === 'http1' && target.url.protocol === 'http:') {
        let pool = this.http1Pools.get(target.origin);
        if (!pool) this.http1Pools.set(target.origin, (pool = new Http1Pool(target.url)));
        pool.dispatch(ex, req, this.config.noConnectionReuse);
        return;
      }
      this.pool(target.origin).dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: req.method as 'GET',
          headers: req.headers,
          body: req.body,
          reset: this.config.noConnectionReuse,
          // Our own timer bounds the whole request (k6's `timeout`); undici's idle timers must not
          // fire first with a different error.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        ex as unknown as Parameters<Pool['dispatch']>[1],
      );
    } catch (err) {
      ex.finish(err as Error);
    }
  }

  private track(ex: Exchange): void {
    ex.next = this.inFlight;
    if (this.inFlight) this.inFlight.prev = ex;
    this.inFlight = ex;
    this.inFlightCount++;
  }

  untrack(ex: Exchange): void {
    if (ex.prev) ex.prev.next = ex.next;
    else if (this.inFlight === ex) this.inFlight = ex.next;
    else return; // not in the list (already untracked)
    if (ex.next) ex.next.prev = ex.prev;
    ex.prev = undefined;
    ex.next = undefined;
    if (--this.inFlightCount === 0) this.onIdle?.();
  }

  sweep(now: number): void {
    let ex = this.inFlight;
    while (ex) {
      const next = ex.next; // expire() unlinks ex
      if (ex.deadline <= now) ex.expire();
      ex = next;
    }
  }

  /** The VU was interrupted: its requests are aborted and their promises never settle. */
  cancelAll(): void {
    let ex = this.inFlight;
    while (ex) {
      const next = ex.next;
      ex.cancel();
      ex = next;
    }
  }

  /** Closes idle connections (noVUConnectionReuse, end of test); in-flight ones are destroyed. */
  async close(): Promise<void> {
    if (this.watching) {
      this.watching = false;
      unwatchDeadlines(this);
    }
    const closed = new Error('connection closed: the VU closed its connections');
    for (const pool of this.http1Pools.values()) pool.close(closed);
    this.http1Pools.clear();
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.connectTimings = [];
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
