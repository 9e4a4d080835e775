import { connect } from 'node:net';

/** One hostile request as the bytes written to a fresh connection, maybe in timed pieces. */
export interface HostileCase {
  /** Family and detail: what a failure message names. */
  readonly name: string;
  readonly method: string;
  /** Written in order; with `pauseMs`, a pause before each piece after the first (a slow client). */
  readonly pieces: readonly Buffer[];
  readonly pauseMs?: number;
}

export type Header = readonly [string, string];

/**
 * An HTTP/1.1 request as raw bytes. `Connection: close` so the exchange ends when the server
 * closes; Content-Type and Content-Length are added for a body unless `headers` names them.
 */
export function rawRequest(method: string, target: string, headers: readonly Header[] = [], body?: string | Buffer): Buffer {
  const names = new Set(headers.map(([n]) => n.toLowerCase()));
  const all: Header[] = [['Host', '127.0.0.1'], ['Connection', 'close'], ...headers];
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  if (payload && !names.has('content-type')) all.push(['Content-Type', 'application/json']);
  if (payload && !names.has('content-length') && !names.has('transfer-encoding')) all.push(['Content-Length', String(payload.length)]);
  const head = `${method} ${target} HTTP/1.1\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1');
}

export function single(name: string, method: string, bytes: Buffer): HostileCase {
  return { name, method, pieces: [bytes] };
}

export interface Exchange {
  readonly received: string;
  readonly elapsedMs: number;
  /** The connection was still open at the bound and was cut by the test. */
  readonly hung: boolean;
}

/** Sends a case on its own connection; resolves when the server closes it or at `boundMs`. */
export function exchange(port: number, c: HostileCase, boundMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      socket.destroy();
    }, boundMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    // EPIPE/ECONNRESET: the server refused the rest of a body it had already answered.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks).toString('latin1'), elapsedMs: Date.now() - t0, hung });
    });
    socket.once('connect', async () => {
      for (const [i, piece] of c.pieces.entries()) {
        if (i > 0 && c.pauseMs) await new Promise((r) => setTimeout(r, c.pauseMs));
        if (socket.destroyed) return;
        socket.write(piece);
      }
    });
  });
}

export interface ParsedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Every response in what a connection received (pipelined or smuggled requests give several). */
export function parseResponses(received: string): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let rest = received;
  while (rest.startsWith('HTTP/')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}
