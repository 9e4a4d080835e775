import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { errorMessage } from '../errors.ts';

/** What `perf-lab serve` is to the user: the command that makes the reference server listen. */
const START_HINT = 'start `perf-lab serve` (or `perf-lab lab`), or point --target / PERF_LAB_TARGET_URL at your API';

export interface ProbeTimeouts {
  /** A blackholed address never refuses: without a short connect timeout the run would wait for it. */
  readonly connectMs: number;
  readonly httpMs: number;
}

export const DEFAULT_PROBE_TIMEOUTS: ProbeTimeouts = { connectMs: 3000, httpMs: 5000 };

/**
 * Does the target answer at all: DNS, a TCP connection, then GET /health with 200. Returns
 * the problem in the user's terms with what to do, or undefined when the target is healthy.
 * A system that declared its own API (`api` in perf-lab.config.*) need not have /health: for
 * it (`referenceHealth` false) any HTTP answer to GET / shows an HTTP server is there.
 */
export async function probeTarget(baseUrl: string, timeouts: ProbeTimeouts = DEFAULT_PROBE_TIMEOUTS, referenceHealth = true): Promise<string | undefined> {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const where = `${host}:${port}`;
  let address = host;
  if (net.isIP(host) === 0) {
    try {
      address = (await lookup(host)).address;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      return `cannot resolve ${host} (DNS: ${code}): check the host name in --target / PERF_LAB_TARGET_URL`;
    }
  }
  const connectError = await connectOnce(address, port, timeouts.connectMs);
  if (connectError === 'ECONNREFUSED') return `nothing listens on ${where}: ${START_HINT}`;
  if (connectError === 'timeout') {
    return `no answer from ${where} within ${timeouts.connectMs / 1000} s (connection neither accepted nor refused: ` +
      'a blackholed or firewalled address?): check --target / PERF_LAB_TARGET_URL';
  }
  if (connectError) return `cannot connect to ${where} (${connectError}): check --target / PERF_LAB_TARGET_URL`;
  if (!referenceHealth) {
    const root = await httpGet(new URL('/', url).toString(), timeouts.httpMs);
    if (root.kind !== 'error') return undefined;
    return root.timedOut
      ? `${where} accepts connections but did not answer GET / within ${timeouts.httpMs / 1000} s: is it an HTTP server, and the API under test?`
      : `GET ${url.origin}/ failed (${root.message}): is ${where} an HTTP server, and the API under test?`;
  }
  const health = await httpGet(new URL('/health', url).toString(), timeouts.httpMs);
  if (health.kind === 'error') {
    return health.timedOut
      ? `${where} accepts connections but did not answer GET /health within ${timeouts.httpMs / 1000} s: is it an HTTP server, and the API under test?`
      : `GET ${url.origin}/health failed (${health.message}): is ${where} an HTTP server, and the API under test?`;
  }
  if (health.status === 404) {
    return `${where} answers HTTP 404 on GET /health: it does not speak perf-lab's API — is --target / PERF_LAB_TARGET_URL the API under test?`;
  }
  if (health.status !== 200) {
    const code = health.errorCode ? ` ${health.errorCode}` : '';
    return `${where} is not healthy: GET /health answered HTTP ${health.status}${code} — see the server's log (\`perf-lab serve\` prints it), and \`perf-lab status\` for its MySQL and Redis`;
  }
  return undefined;
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: string | undefined): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? errorMessage(err)));
  });
}

export type HttpAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string; readonly errorCode: string | undefined }
  | { readonly kind: 'error'; readonly timedOut: boolean; readonly message: string };

/** One GET with a deadline; the body's `{ error: { code } }` is read when there is one. */
export async function httpGet(url: string, timeoutMs: number): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { kind: 'answer', status: res.status, body, errorCode: errorCodeOf(body) };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { kind: 'error', timedOut, message: errorMessage(err instanceof Error && err.cause ? err.cause : err) };
  }
}

function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
