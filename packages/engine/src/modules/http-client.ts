/**
 * A VU's HTTP/1.1 client on undici's low-level `dispatch` API: keep-alive undici Pools, one per
 * origin and per VU (k6 gives every VU its own connection pool; a Map lookup instead of undici's
 * Agent saves a layer on the hot path), and a handler that timestamps each phase of the exchange
 * with the monotonic clock:
 *
 *   start ─ blocked ─ [connecting ─ tls] ─ onConnect ─ sending ─ onRequestSent ─ waiting ─
 *   first response byte ─ receiving ─ complete
 *
 * `connecting`/`tls` come from the connector and are attributed to the request that was waiting
 * for that new connection (exact for the usual one-request-at-a-time VU). undici does not expose
 * DNS time separately, so it is part of `blocked`.
 */
import { buildConnector, Pool } from 'undici';
import type { Socket } from 'node:net';
import type { HttpConfig } from '../runtime/run-context.ts';
import type { Cancellable } from '../runtime/vu.ts';
import { unwatchDeadline, watchDeadline } from './request-deadlines.ts';

export interface ExchangeTimings {
  blocked: number;
  connecting: number;
  tlsHandshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
}

export interface DispatchSpec {
  origin: string;
  path: string;
  method: string;
  /** Flat [name, value, name, value…] list, undici's cheapest header form. */
  headers: string[];
  body: string | Buffer | null;
  keepBody: boolean;
  timeoutMs: number;
  reset: boolean;
}

export class Exchange {
  readonly t0 = performance.now();
  tConnect = 0;
  tSent = 0;
  tFirstByte = 0;
  tEnd = 0;
  status = 0;
  statusText = '';
  rawHeaders: Buffer[] | null = null;
  /** Body chunks: the first one alone (the usual case) needs no array. */
  firstChunk: Buffer | undefined;
  moreChunks: Buffer[] | undefined;
  bodyBytes = 0;
  error: (Error & { code?: string }) | undefined;
  timedOut = false;
  connecting = 0;
  tlsHandshaking = 0;
  done = false;
  cancelled = false;
  abortFn: ((err: Error) => void) | undefined;
  /** performance.now() after which the request times out (Infinity: no timeout). */
  deadline = Number.POSITIVE_INFINITY;
  resolve!: (e: Exchange) => void;

  constructor(
    private readonly client: VuHttpClient,
    private readonly keepBody: boolean,
    private readonly pending: Set<Cancellable>,
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
    this.abortFn = abort;
    if (this.done) {
      abort(this.error ?? new Error('request cancelled'));
      return;
    }
    this.tConnect = performance.now();
    const c = this.client.takeConnectTiming();
    if (c) {
      this.connecting = c.connecting;
      this.tlsHandshaking = c.tls;
    }
  }
  onRequestSent(): void {
    this.tSent = performance.now();
  }
  onResponseStarted(): void {
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
  }
  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
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
    if (this.deadline !== Number.POSITIVE_INFINITY) unwatchDeadline(this);
    this.pending.delete(this);
    if (!this.cancelled) this.resolve(this);
  }

  body(): Buffer {
    if (!this.firstChunk) return Buffer.alloc(0);
    return this.moreChunks ? Buffer.concat([this.firstChunk, ...this.moreChunks]) : this.firstChunk;
  }

  timings(): ExchangeTimings {
    const connected = this.tConnect || this.tEnd;
    const sent = this.tSent || connected;
    const first = this.tFirstByte || this.tEnd;
    return {
      blocked: Math.max(0, connected - this.t0 - this.connecting - this.tlsHandshaking),
      connecting: this.connecting,
      tlsHandshaking: this.tlsHandshaking,
      sending: Math.max(0, sent - connected),
      waiting: Math.max(0, first - sent),
      receiving: Math.max(0, this.tEnd - first),
    };
  }
}

export class VuHttpClient {
  private readonly pools = new Map<string, Pool>();
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

  /** Sends one request; the promise never rejects (errors are in `exchange.error`) and never
   * settles once the exchange was cancelled, which is how an interrupted iteration is abandoned.
   * No closures per request: the Exchange is the handler, the pending entry and the deadline. */
  dispatch(spec: DispatchSpec, pending: Set<Cancellable>): Promise<Exchange> {
    const ex = new Exchange(this, spec.keepBody, pending);
    const promise = new Promise<Exchange>((resolve) => {
      ex.resolve = resolve;
    });
    pending.add(ex);
    if (spec.timeoutMs > 0) {
      ex.deadline = ex.t0 + spec.timeoutMs;
      watchDeadline(ex);
    }
    try {
      this.pool(spec.origin).dispatch(
        {
          origin: spec.origin,
          path: spec.path,
          method: spec.method as 'GET',
          headers: spec.headers,
          body: spec.body,
          reset: spec.reset,
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
    return promise;
  }

  /** Closes idle connections (noVUConnectionReuse, end of test); in-flight ones are destroyed. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.connectTimings = [];
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
