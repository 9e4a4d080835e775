import { setTimeout } from 'k6/timers';

/**
 * An awaited pause. k6's sleep() blocks the VU's event loop; a timer promise does the same job
 * in k6 and is the only pause an async VU can await in perf-lab's embedded engine.
 */
export function pause(seconds: number): Promise<void> {
  return seconds <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
