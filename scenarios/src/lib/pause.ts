import { sleep } from 'k6';

/** The think time between iterations: k6's sleep(), skipped when the profile has none. */
export function pause(seconds: number): void {
  if (seconds > 0) sleep(seconds);
}
