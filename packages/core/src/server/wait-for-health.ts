import { delay } from '../lab/managed-process.ts';
import { errorMessage } from '../errors.ts';

export interface HealthWait {
  readonly healthy: boolean;
  /** The process ended before it became healthy. */
  readonly exitedFirst: boolean;
  /** The last answer or error, for the message: "HTTP 503 DEPENDENCY_UNAVAILABLE", "ECONNREFUSED". */
  readonly last: string;
}

/**
 * Polls GET /health until it answers 200, the process exits, or the time is up. Each probe
 * has its own short timeout, so one stalled connection cannot eat the whole wait.
 */
export async function waitForHealth(url: string, timeoutMs: number, exited: () => boolean): Promise<HealthWait> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited()) return { healthy: false, exitedFirst: true, last };
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(Math.min(2000, Math.max(1, deadline - Date.now()))) });
      const body = await res.text();
      if (res.ok) return { healthy: true, exitedFirst: false, last: `HTTP ${res.status}` };
      const code = /"code"\s*:\s*"([A-Z_]+)"/.exec(body)?.[1];
      last = `HTTP ${res.status}${code ? ` ${code}` : ''}`;
    } catch (err) {
      last = errorMessage(err instanceof Error && err.cause ? err.cause : err);
    }
    await delay(150);
  }
  return { healthy: false, exitedFirst: exited(), last };
}
