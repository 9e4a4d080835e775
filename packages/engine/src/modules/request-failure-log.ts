/**
 * k6's "Request Failed" warning, without k6's flood. k6 logs one warning per request that got no
 * HTTP response (refused, reset, DNS, timeout, TLS — never for a 4xx/5xx status), unless the
 * `throw` option turns it into an exception, and not for a request cut off by the end of the
 * test. It does not rate-limit them: a run against a closed port prints one line per request,
 * thousands a second, burying everything else on the terminal.
 *
 * The engine prints the first FIRST_LINES of a run as k6 does, then counts the rest by error and
 * prints one summary line per SUMMARY_EVERY_MS while they keep coming, and a last one when the
 * scenarios end, so every failure is accounted for on the terminal and the metrics hold them all.
 * Each engine process counts its own (with `workers: N`, each worker prints its first ones).
 */

export const FIRST_LINES = 10;
export const SUMMARY_EVERY_MS = 10_000;
/** Distinct error texts counted apart per summary; texts past them join "other errors". */
const MAX_KINDS = 20;
const KINDS_SHOWN = 3;

/** Go's url.Error shape, which is what k6 prints and throws: Op "URL": cause. */
export function failedRequestText(method: string, url: string, error: string): string {
  return `${method.charAt(0)}${method.slice(1).toLowerCase()} "${url}": ${error}`;
}

export class RequestFailureLog {
  private shown = 0;
  private readonly counts = new Map<string, number>();
  private pending = 0;
  private overflow = 0;
  private lastSummaryAt = 0;

  constructor(
    private readonly warn: (message: string) => void,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** One request that got no response; `error` is the text its response's `error` field holds. */
  report(method: string, url: string, error: string): void {
    if (this.shown < FIRST_LINES) {
      this.shown++;
      this.warn(`Request Failed error=${JSON.stringify(failedRequestText(method, url, error))}`);
      if (this.shown === FIRST_LINES) {
        this.lastSummaryAt = this.nowMs();
        this.warn(`Request Failed: ${FIRST_LINES} shown; further ones are counted and summed up every ${SUMMARY_EVERY_MS / 1000}s (http_req_failed and the error_code tag hold them all)`);
      }
      return;
    }
    this.pending++;
    if (this.counts.has(error) || this.counts.size < MAX_KINDS) this.counts.set(error, (this.counts.get(error) ?? 0) + 1);
    else this.overflow++;
    this.tick();
  }

  /** Prints the summary when one is due; also called once a second, so a burst that stopped is not held back until the end. */
  tick(): void {
    if (this.pending > 0 && this.nowMs() - this.lastSummaryAt >= SUMMARY_EVERY_MS) this.flush();
  }

  /** Prints what was counted since the last line, if anything. */
  flush(): void {
    if (this.pending === 0) return;
    const now = this.nowMs();
    const seconds = Math.max(1, Math.round((now - this.lastSummaryAt) / 1000));
    const kinds = [...this.counts].sort((a, b) => b[1] - a[1]);
    const listed = kinds.slice(0, KINDS_SHOWN).map(([error, n]) => `${n.toLocaleString('en-US')} × ${error}`);
    const rest = kinds.slice(KINDS_SHOWN).reduce((n, [, c]) => n + c, this.overflow);
    if (rest > 0) listed.push(`${rest.toLocaleString('en-US')} × other errors`);
    this.warn(`Request Failed ×${this.pending.toLocaleString('en-US')} more in the last ${seconds}s (not printed one by one): ${listed.join('; ')}`);
    this.pending = 0;
    this.counts.clear();
    this.overflow = 0;
    this.lastSummaryAt = now;
  }
}
