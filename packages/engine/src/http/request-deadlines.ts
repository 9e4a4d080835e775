/**
 * Request timeouts (k6's `timeout` param, 60 s by default) without a timer, or any bookkeeping,
 * per request: each VU's HTTP client registers itself once and one unref'd interval asks every
 * registered client to expire what is past its deadline. Creating and clearing a Node timer per
 * request, then adding and removing every request to a shared Set, both showed in the engine's
 * CPU profile; a deadline checked every SWEEP_MS is as good for timeouts measured in seconds.
 */
import { performance } from 'node:perf_hooks';

const SWEEP_MS = 25;

export interface DeadlineSource {
  /** Expires whatever is past its deadline at `now` (performance.now()); returns false when
   * nothing is left to watch, and the source is dropped until it registers again. */
  sweep(now: number): boolean;
}

const sources = new Set<DeadlineSource>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = performance.now();
  for (const source of sources) if (!source.sweep(now)) sources.delete(source);
  if (sources.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

export function watchDeadlines(source: DeadlineSource): void {
  sources.add(source);
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_MS);
    sweeper.unref();
  }
}

export function unwatchDeadlines(source: DeadlineSource): void {
  sources.delete(source);
  if (sources.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}
