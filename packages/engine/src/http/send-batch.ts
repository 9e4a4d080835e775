/**
 * Requests of all VUs that become ready during one turn of the event loop are sent together at
 * its end (a `setImmediate`, which runs after every I/O callback of the turn and the iterations
 * they resumed), not each as soon as its iteration asks. Both HTTP clients go through it:
 *
 * - The engine's own client (http1-connection.ts): a load generator that runs out of CPU before
 *   the server does leaves the server idle between requests, and each request written to an idle
 *   server pays for waking it up (a cross-CPU wake-up, expensive on a VM) in the writer's system
 *   call. Written in one burst, the server wakes once and finds them all. On the 2-core bench VM
 *   this cut the engine's CPU per request by 5–11 µs and raised its throughput by 6–32 % in paired
 *   runs.
 * - undici waits for the end of the turn before it reuses a connection whose response just ended;
 *   a request dispatched sooner finds it busy and opens another, so a VU's back-to-back requests
 *   used two connections, and with noVUConnectionReuse every request (not every iteration) made a
 *   new one. Dispatched at the end of the turn, after undici's own check, they reuse it, as in k6.
 *
 * The wait is counted in `http_req_blocked`, not in `http_req_duration`. It is the rest of the
 * turn: it grows with the number of VUs and the load, and a request queued while a batch is being
 * sent waits for the next turn.
 */

export interface QueuedSend {
  /** Sends the request it holds, unless it was cancelled or closed since it was queued. */
  flushSend(): void;
}

let queued: QueuedSend[] = [];
let scheduled = false;

export function queueSend(s: QueuedSend): void {
  queued.push(s);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}

function flush(): void {
  scheduled = false;
  const batch = queued;
  queued = [];
  let i = 0;
  try {
    for (; i < batch.length; i++) (batch[i] as QueuedSend).flushSend();
  } finally {
    // A send that threw (a bug: each one handles its own errors) must not strand the others.
    for (i++; i < batch.length; i++) queueSend(batch[i] as QueuedSend);
  }
}
