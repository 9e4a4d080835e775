/**
 * Requests of all VUs that become ready during one turn of the event loop are written together at
 * its end (a `setImmediate`, which runs after every I/O callback of the turn and the iterations
 * they resumed), not each as soon as its iteration asks.
 *
 * Why: a load generator that runs out of CPU before the server does leaves the server idle between
 * requests, and each request written to an idle server pays for waking it up (a cross-CPU wake-up,
 * expensive on a VM) in the writer's system call. Written in one burst, the server wakes once and
 * finds them all. On the 2-core bench VM this cut the engine's CPU per request by 5–11 µs and
 * raised its throughput by 6–32 % in paired runs; the wait (at most the rest of the turn, well
 * under a millisecond) is counted in `http_req_blocked`, not in `http_req_duration`.
 */

export interface QueuedWrite {
  /** Writes the request it holds, unless it was cancelled or closed since it was queued. */
  flushWrite(): void;
}

let queued: QueuedWrite[] = [];
let scheduled = false;

export function queueWrite(w: QueuedWrite): void {
  queued.push(w);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}

function flush(): void {
  scheduled = false;
  const batch = queued;
  queued = [];
  for (let i = 0; i < batch.length; i++) (batch[i] as QueuedWrite).flushWrite();
}
