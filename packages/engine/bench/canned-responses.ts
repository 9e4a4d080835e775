/**
 * Replaces the HTTP/1.1 client's network with an immediate canned 200 (on the next turn of the
 * event loop), so a benchmark measures the engine's own work per request: VUs, iterations,
 * metric samples, the Response — everything but sockets. For a fresh process only: it patches
 * the pool's prototype for good.
 */
import type { Exchange } from '../src/http/exchange.ts';
import { Http1Pool } from '../src/http/http1-pool.ts';

export function answerEveryRequestAtOnce(): void {
  const rawHeaders = ['content-type', 'text/plain', 'content-length', '2'];
  const body = Buffer.from('ok');
  const noop = (): void => undefined;
  Http1Pool.prototype.dispatch = (ex: Exchange): void => {
    setImmediate(() => {
      ex.attached(noop, 0, 0);
      ex.onRequestSent();
      ex.onResponseStarted();
      ex.onHeaders(200, rawHeaders, noop, 'OK');
      ex.onData(body);
      ex.onComplete();
    });
  };
}
