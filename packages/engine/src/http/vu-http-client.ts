/**
 * A VU's HTTP client. k6 gives every VU its own connection pool, so each VU has its own pools, one
 * per origin, reached through a Map lookup:
 *
 * - `http:` origins go to the engine's own HTTP/1.1 client (http1-pool.ts): keep-alive
 *   connections on `net` sockets and a parser that handles a small response in one pass. The
 *   load generator's CPU per request is what bounds its throughput, and on undici the engine
 *   spends 15–39 µs more per request (bench/http-throughput.ts runs it both ways).
 * - `https:` origins, and every origin when `httpClient: 'undici'` is chosen, go to undici's
 *   low-level `dispatch` API on keep-alive Pools: TLS, ALPN and certificate handling are where a
 *   well-kept library matters more than a few microseconds.
 *
 * Both drive the same handler (exchange.ts), which timestamps each phase of the request.
 * `connecting`/`tls` are attributed to the request that was waiting for that new connection (exact
 * for the usual one-request-at-a-time VU). Neither client exposes DNS time separately, so it is
 * part of `blocked`.
 */
import { buildConnector, Pool } from 'undici';
import type { Socket } from 'node:net';
// The module's binding rather than the `performance` global, which is a getter: a hot path.
import { performance } from 'node:perf_hooks';
import type { ClientConfig } from './client-config.ts';
import { unwatchDeadlines, watchDeadlines, type DeadlineSource } from './request-deadlines.ts';
import { Http1Pool } from './http1-pool.ts';
import type { OutgoingRequest } from './outgoing-request.ts';
import { Exchange, type ExchangeOwner, type ExchangeTracker } from './exchange.ts';
import { queueSend, type QueuedSend } from './send-batch.ts';

/**
 * In-flight exchanges are kept in an intrusive doubly linked list (the Exchange holds its links)
 * rather than in a Set: tracking costs two pointer writes, where a Set's hashing, add and delete
 * cost several µs of CPU per request in the engine's profile. The list is walked for deadlines
 * (request-deadlines.ts) and to cancel an interrupted VU's requests.
 */
export class VuHttpClient implements DeadlineSource, ExchangeTracker {
  private inFlight: Exchange | undefined;
  /** Runs when the last request in flight ends. */
  onIdle: (() => void) | undefined;
  private watching = false;
  private readonly pools = new Map<string, Pool>();
  private readonly http1Pools = new Map<string, Http1Pool>();
  private connector: buildConnector.connector | undefined;
  private connectTimings: Array<{ connecting: number; tls: number }> = [];

  constructor(private readonly config: ClientConfig) {}

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
  dispatch(req: OutgoingRequest, owner: ExchangeOwner): void {
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
      queueSend(new UndiciSend(this.pool(target.origin), ex, req, this.config.noConnectionReuse));
    } catch (err) {
      ex.finish(err as Error);
    }
  }

  private track(ex: Exchange): void {
    ex.next = this.inFlight;
    if (this.inFlight) this.inFlight.prev = ex;
    this.inFlight = ex;
  }

  /** Some request is in flight. */
  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  untrack(ex: Exchange): void {
    if (ex.prev) ex.prev.next = ex.next;
    else if (this.inFlight === ex) this.inFlight = ex.next;
    else return; // not in the list (already untracked)
    if (ex.next) ex.next.prev = ex.prev;
    ex.prev = undefined;
    ex.next = undefined;
    if (this.inFlight === undefined) this.onIdle?.();
  }

  sweep(now: number): boolean {
    let ex = this.inFlight;
    while (ex) {
      const next = ex.next; // expire() unlinks ex
      if (ex.deadline <= now) ex.expire();
      ex = next;
    }
    // An idle client leaves the sweeper (the next timed request registers it again), so a
    // client nobody closed is not kept alive by it.
    if (this.inFlight === undefined) this.watching = false;
    return this.watching;
  }

  /** The VU was interrupted: its requests are aborted and their promises never settle. Returns
   * how many of them had been sent: the server may have acted on those, and the script will
   * never see their answers. */
  cancelAll(): number {
    let sent = 0;
    let ex = this.inFlight;
    while (ex) {
      const next = ex.next;
      if (ex.sent) sent++;
      ex.cancel();
      ex = next;
    }
    return sent;
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

/** A request for undici, handed over at the end of the event-loop turn (see send-batch.ts). */
class UndiciSend implements QueuedSend {
  constructor(
    private readonly pool: Pool,
    private readonly ex: Exchange,
    private readonly req: OutgoingRequest,
    private readonly reset: boolean,
  ) {}

  flushSend(): void {
    const { ex, req } = this;
    if (ex.done) return; // timed out or cancelled while queued
    try {
      this.pool.dispatch(
        {
          origin: req.target.origin,
          path: req.target.path,
          method: req.method as 'GET',
          headers: req.headers,
          body: req.body,
          reset: this.reset,
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
}
