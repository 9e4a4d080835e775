/**
 * One request/response exchange, whichever client carries it: the handler both clients drive
 * (undici's classic handler interface; the HTTP/1.1 client calls the same methods), the phase
 * timestamps from the monotonic clock, the body, the error, and its links in the VU client's
 * in-flight list. Timings:
 *
 *   start ─ blocked ─ [connecting ─ tls] ─ attached ─ sending ─ onRequestSent ─ waiting ─
 *   first response byte ─ receiving ─ complete
 */
import { performance } from 'node:perf_hooks';

/** k6's Response.timings, in ms. */
export interface ResponseTimings {
  duration: number;
  blocked: number;
  looking_up: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
}

/** The VU client's side of an exchange: its in-flight list and the connect timings of undici's
 * new connections (vu-http-client.ts). An interface, so the exchange does not import the client. */
export interface ExchangeTracker {
  untrack(ex: Exchange): void;
  takeConnectTiming(): { connecting: number; tls: number } | undefined;
}

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
    private readonly client: ExchangeTracker,
    readonly keepBody: boolean,
  ) {}

  /** The request outlived its timeout (k6's error code 1050). */
  expire(): void {
    const err = Object.assign(new Error('request timeout'), { code: 'K6_REQUEST_TIMEOUT' });
    this.error = err;
    if (this.abortFn) this.abortFn(err);
    this.finish(err);
  }

  /** Some of the request may have left: it is on a connection (both clients attach an exchange
   * before writing its first byte). The server may then act on it whatever becomes of the answer. */
  get sent(): boolean {
    return this.tConnect > 0;
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
