/**
 * Request timeouts (k6's `timeout` param, 60 s by default) without a timer per request: in-flight
 * requests sit in one set that a single unref'd interval sweeps. Creating and clearing a Node
 * timer for every request showed up in the engine's CPU profile; a deadline checked every
 * SWEEP_MS is as good for timeouts measured in seconds.
 */
import { performance } from 'node:perf_hooks';

const SWEEP_MS = 25;

export interface Deadline {
  readonly deadline: number;
  expire(): void;
}

const inFlight = new Set<Deadline>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = performance.now();
  for (const d of inFlight) {
    if (d.deadline <= now) {
      inFlight.delete(d);
      d.expire();
    }
  }
  if (inFlight.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

export function watchDeadline(d: Deadline): void {
  inFlight.add(d);
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_MS);
    sweeper.unref();
  }
}

export function unwatchDeadline(d: Deadline): void {
  inFlight.delete(d);
}
