import type { HealthWait } from './wait-for-health.ts';

/**
 * Why a reference-server process did not start, read from its own log lines: the server
 * prints `reference-server: <message>` before exiting, and fastify names a plugin that missed
 * its start deadline ("Plugin did not start in time: 'couponFeature'").
 */
export function startFailureCause(log: string): string | undefined {
  const lines = log.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const plugin = [...lines].reverse().map((l) => /Plugin did not start in time: '([^']+)'/.exec(l)?.[1]).find((p) => p !== undefined);
  if (plugin) return `its plugin '${plugin}' did not start in time`;
  const fatal = [...lines].reverse().find((l) => l.startsWith('reference-server: '));
  if (fatal) return fatal.slice('reference-server: '.length);
  // pino JSON lines: the last error (level 50) or fatal (60) entry says what broke.
  for (const line of [...lines].reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 50) return entry.err?.message ? `${entry.msg ?? 'error'}: ${entry.err.message}` : entry.msg;
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}

export interface StartFailure {
  readonly pid: number | undefined;
  readonly url: string;
  readonly timeoutMs: number;
  readonly wait: HealthWait;
  /** "code 3" or "signal SIGKILL" when the process is known to have ended. */
  readonly exited: string | undefined;
  readonly logFile: string;
  /** The log lines this process wrote (from the offset at spawn). */
  readonly ownLog: string;
}

/** What did not start and why, then this start's own log lines. */
export function startFailureMessage(f: StartFailure): string {
  const server = `the reference server (pid ${f.pid ?? '?'})`;
  const what = f.wait.exitedFirst
    ? `${server} exited${f.exited ? ` with ${f.exited}` : ''} before it answered GET ${f.url}/health`
    : `${server} did not answer GET ${f.url}/health with 200 within ${Math.round(f.timeoutMs / 1000)} s (last answer: ${f.wait.last})`;
  const cause = startFailureCause(f.ownLog);
  return `${what}${cause ? `: ${cause}` : ''}; its log (${f.logFile}, this start only):\n${f.ownLog || '(empty)'}`;
}
