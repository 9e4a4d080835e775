/**
 * A local HTTP target for engine tests, on 127.0.0.1 and an ephemeral port. Query parameters
 * shape the response: `delay` (ms), `status`, `redirect` (a path to 302 to), `size` (body bytes).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** Requests received so far. */
  readonly count: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Query parameters of the requests received (the last 10 000). */
  readonly queries: URLSearchParams[];
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  let count = 0;
  let connections = 0;
  const queries: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    count++;
    const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (queries.length < 10_000) queries.push(q);
    const delay = Number(q.get('delay') ?? 0);
    const respond = (): void => {
      const redirect = q.get('redirect');
      if (redirect) {
        res.writeHead(302, { location: redirect });
        res.end();
        return;
      }
      const size = Number(q.get('size') ?? 0);
      const body = size > 0 ? 'x'.repeat(size) : JSON.stringify({ ok: true, method: req.method, path: req.url, ua: req.headers['user-agent'] ?? '' });
      res.writeHead(Number(q.get('status') ?? 200), { 'content-type': 'application/json', 'x-test': 'yes' });
      res.end(body);
    };
    req.resume();
    req.on('end', () => (delay > 0 ? setTimeout(respond, delay) : respond()));
  });
  server.on('connection', () => connections++);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get count() {
      return count;
    },
    get connections() {
      return connections;
    },
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
