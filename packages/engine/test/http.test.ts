/** k6/http through the engine: the sync-call error, Response fields, tags, errors, redirects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { run, type HttpClientKind, type ProgressEvent, type RunResult } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

let httpClient: HttpClientKind = 'http1';

async function runScript(source: string, logs: ProgressEvent[] = [], env: Record<string, string> = {}): Promise<RunResult> {
  const { path } = writeScript(source);
  return run({ script: path, env: { BASE: server.url, ...env }, onProgress: (e) => logs.push(e), httpClient });
}

const errors = (logs: ProgressEvent[]): string[] => logs.flatMap((e) => (e.type === 'log' && e.level === 'error' ? [e.message] : []));

// Both clients carry plain HTTP (the engine's own by default, undici on request): same behaviour.
describe.each(['http1', 'undici'] as const)('k6/http over %s', (client) => {
  beforeAll(() => {
    httpClient = client;
  });

  it('runs a bundle that imports k6/http and reads the Response like k6', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { iterations: 1 };
      export default async function () {
        const res = await http.asyncRequest('POST', __ENV.BASE + '/items?delay=5', JSON.stringify({ a: 1 }), { headers: { 'Content-Type': 'application/json' } });
        const t = res.timings;
        check(res, {
          'status 200': (r) => r.status === 200,
          'canonical header names': (r) => r.headers['Content-Type'] === 'application/json' && r.headers['X-Test'] === 'yes',
          'json body': (r) => r.json().method === 'POST' && r.json('path') === '/items?delay=5',
          'duration = sending + waiting + receiving': () => Math.abs(t.duration - (t.sending + t.waiting + t.receiving)) < 1e-9,
          'waiting covers the server delay': () => t.waiting >= 4,
          'no error': (r) => r.error === '' && r.error_code === 0,
          'request echoed': (r) => r.request.method === 'POST' && r.url === __ENV.BASE + '/items?delay=5',
          'user agent set': (r) => r.json().ua.startsWith('perf-lab-engine'),
        });
      }`);
    expect(r.exitCode).toBe(0);
    const checks = r.summary?.root_group.checks ?? [];
    expect(checks.filter((c) => c.fails > 0).map((c) => c.name)).toEqual([]);
    expect(checks).toHaveLength(8);
  });

  it('refuses, before any VU starts, a blocking call handed to code the engine cannot make wait', async () => {
    const requestsBefore = server.count;
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { iterations: 1 };
      export default function () { [1, 2].forEach((i) => http.get(__ENV.BASE + '/?i=' + i)); }`);
    expect(r.exitCode).toBe(107);
    expect(r.error).toMatch(/script\.js:4:51: this function is passed to `\[1, 2\]\.forEach\(\)`.*http\.get\(\) at line 4/);
    expect(server.count).toBe(requestsBefore);
  });

  it('tags samples with status, method, name, url, expected_response and error_code', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { iterations: 1, thresholds: {
        'http_reqs{status:404}': ['count==1'],
        'http_reqs{method:DELETE}': ['count==1'],
        'http_reqs{name:item}': ['count==2'],
        'http_reqs{error_code:1404}': ['count==1'],
        'http_reqs{expected_response:false}': ['count==1'],
        'http_reqs{custom:yes}': ['count==1'],
        'http_req_failed': ['rate>0.3', 'rate<0.4'],
      } };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/?status=404', null, { tags: { name: 'item' } });
        await http.asyncRequest('DELETE', __ENV.BASE + '/', null, { tags: { name: 'item', custom: 'yes' } });
        await http.asyncRequest('GET', http.url\`\${__ENV.BASE}/product/\${42}\`);
      }`);
    // Every threshold was evaluated on samples the script produced (a script that never ran
    // would leave the thresholds on sub-metrics empty, not failed).
    expect(r.thresholds).toHaveLength(8);
    expect(r.thresholds.filter((t) => !t.ok)).toEqual([]);
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(3);
    expect(r.summary?.metrics['http_reqs{name:item}']?.values.count).toBe(2);
    expect(r.exitCode).toBe(0);
  });

  it('adds exec.vu.tags and scenario tags to the samples', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      import exec from 'k6/execution';
      export const options = { scenarios: { s: { executor: 'per-vu-iterations', iterations: 2, tags: { team: 'shop' } } },
        tags: { testid: 't1' },
        thresholds: { 'http_reqs{tenant:a}': ['count==1'], 'http_reqs{team:shop}': ['count==2'], 'http_reqs{testid:t1}': ['count==2'] } };
      export default async function () {
        if (__ITER === 1) exec.vu.tags.tenant = 'a';
        await http.asyncRequest('GET', __ENV.BASE + '/');
      }`);
    expect(r.exitCode).toBe(0);
    expect(r.thresholds).toHaveLength(3);
    expect(r.thresholds.filter((t) => !t.ok)).toEqual([]);
    // The thresholds hold because the script ran: both iterations, each with its request.
    expect(r.summary?.metrics.iterations?.values.count).toBe(2);
    const m = r.summary?.metrics;
    expect([m?.['http_reqs{tenant:a}'], m?.['http_reqs{team:shop}'], m?.['http_reqs{testid:t1}']].map((x) => x?.values.count)).toEqual([1, 2, 2]);
  });

  it('uses expectedStatuses and responseCallback for http_req_failed', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      http.setResponseCallback(http.expectedStatuses(200, 404));
      export const options = { iterations: 1, thresholds: { http_req_failed: ['rate>0.33', 'rate<0.34'], 'http_reqs{expected_response:true}': ['count==2'] } };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/?status=404');
        await http.asyncRequest('GET', __ENV.BASE + '/?status=500', null, { responseCallback: http.expectedStatuses({ min: 500, max: 599 }) });
        await http.asyncRequest('GET', __ENV.BASE + '/?status=201');
        await http.asyncRequest('GET', __ENV.BASE + '/?status=201', null, { responseCallback: null });
      }`);
    expect(r.thresholds.filter((t) => !t.ok)).toEqual([]);
    // 404 and 500 were expected by their callbacks, the first 201 was not, the last has no callback.
    expect(r.summary?.metrics.http_req_failed?.values).toMatchObject({ passes: 1, fails: 2 });
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(4);
  });

  it('reports network errors and timeouts with k6 error codes instead of throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await runScript(`
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { iterations: 1, thresholds: { 'http_reqs{error_code:1212}': ['count==1'], 'http_reqs{error_code:1050}': ['count==1'] } };
      export default async function () {
        const refused = await http.asyncRequest('GET', 'http://127.0.0.1:${port}/');
        const slow = await http.asyncRequest('GET', __ENV.BASE + '/?delay=2000', null, { timeout: '200ms' });
        check(refused, { 'refused: status 0': (r) => r.status === 0 && r.error_code === 1212 && r.error !== '' });
        check(slow, { 'timeout: 1050': (r) => r.error_code === 1050 && r.timings.duration < 1000 });
      }`);
    expect(r.thresholds).toHaveLength(2);
    expect(r.thresholds.filter((t) => !t.ok)).toEqual([]);
    expect(r.summary?.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['refused: status 0', 1, 0],
      ['timeout: 1050', 1, 0],
    ]);
    expect(r.summary?.metrics.http_req_failed?.values.rate).toBe(1);
  });

  it('throws from asyncRequest on a failed request when the throw option is set', async () => {
    const logs: ProgressEvent[] = [];
    const r = await runScript(`
      import http from 'k6/http';
      import { Counter } from 'k6/metrics';
      const after = new Counter('after');
      export const options = { iterations: 1, throw: true };
      export default async function () {
        await http.asyncRequest('GET', 'http://127.0.0.1:1/');
        after.add(1);
      }`, logs);
    expect(r.exitCode).toBe(110); // its only request failed: not a passing run
    expect(errors(logs).join('\n')).toMatch(/ECONNREFUSED|connection refused/i);
    expect(r.summary?.metrics.after).toBeUndefined();
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(1);
  });

  it('ends an iteration only when its un-awaited requests and timers are done, as the k6 event loop does', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      import { setTimeout } from 'k6/timers';
      import { Counter } from 'k6/metrics';
      const fired = new Counter('fired');
      export const options = { iterations: 2, vus: 1 };
      export default function () {
        http.asyncRequest('GET', __ENV.BASE + '/?delay=150');
        setTimeout(() => fired.add(1), 100);
      }`);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(2);
    expect(r.summary?.metrics.fired?.values.count).toBe(2);
    expect(r.summary?.metrics.iteration_duration?.values.min).toBeGreaterThanOrEqual(140);
  });

  it('sends a request when its turn of the event loop ends, and counts the wait as blocked, not in the duration', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { iterations: 2, vus: 1 };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/'); // a kept-alive connection (a new one's wait is connecting)
        const pending = http.asyncRequest('GET', __ENV.BASE + '/');
        const until = Date.now() + 150;
        while (Date.now() < until) {} // the script keeps the turn for 150 ms
        const res = await pending;
        // The margin is wide because this shared 2-core machine can take tens of ms to answer.
        check(res, {
          'waited in blocked': (r) => r.timings.blocked >= 145,
          'not in the duration': (r) => r.timings.duration < 100,
        });
      }`);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.root_group.checks.map((c) => [c.name, c.passes])).toEqual([
      ['waited in blocked', 2],
      ['not in the duration', 2],
    ]);
  });

  it('keeps one connection per VU for back-to-back requests, and one per iteration with noVUConnectionReuse', async () => {
    const script = (noReuse: boolean): string => `
      import http from 'k6/http';
      import { Counter } from 'k6/metrics';
      const fresh = new Counter('fresh_connections');
      export const options = { iterations: 3, vus: 1, noVUConnectionReuse: ${noReuse} };
      export default async function () {
        for (let i = 0; i < 2; i++) {
          const res = await http.asyncRequest('GET', __ENV.BASE + '/');
          if (res.timings.connecting > 0) fresh.add(1);
        }
      }`;
    for (const [noReuse, connections] of [[false, 1], [true, 3]] as const) {
      const before = server.connections;
      const r = await runScript(script(noReuse));
      expect(r.exitCode).toBe(0);
      expect(r.summary?.metrics.http_reqs?.values.count).toBe(6);
      expect(server.connections - before).toBe(connections);
      expect(r.summary?.metrics.fresh_connections?.values.count).toBe(connections);
    }
  });

  it('times out some of many concurrent requests and completes the others', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { iterations: 1 };
      export default async function () {
        // Slow and fast requests interleaved, so expiring ones sit between live ones.
        await Promise.all(Array.from({ length: 12 }, (_, i) =>
          http.asyncRequest('GET', __ENV.BASE + '/?i=' + i + '&delay=' + (i % 2 ? 2000 : 30), null, { timeout: i % 2 ? '150ms' : '5s' })));
      }`);
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(12);
    expect(r.summary?.metrics.http_req_failed?.values).toMatchObject({ passes: 6, fails: 6 });
    expect(r.summary?.metrics.iteration_duration?.values.max).toBeLessThan(1500);
  });

  it('follows redirects, each hop being a request', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { iterations: 1 };
      export default async function () {
        const res = await http.asyncRequest('GET', __ENV.BASE + '/?redirect=' + encodeURIComponent('/final?x=1'));
        check(res, { 'landed': (r) => r.status === 200 && r.url.endsWith('/final?x=1') });
        const stay = await http.asyncRequest('GET', __ENV.BASE + '/?redirect=/final', null, { redirects: 0 });
        check(stay, { 'not followed': (r) => r.status === 302 });
      }`);
    expect(r.summary?.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['landed', 1, 0],
      ['not followed', 1, 0],
    ]);
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(3);
  });

  it('refuses modules the engine does not provide, and remote imports', async () => {
    const ws = await runScript(`import ws from 'k6/ws'; export default function () {}`);
    expect(ws.exitCode).toBe(107);
    expect(ws.error).toMatch(/k6\/ws" is not supported/);
    const remote = await runScript(`import { randomItem } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js'; export default function () {}`);
    expect(remote.exitCode).toBe(107);
    expect(remote.error).toMatch(/does not fetch code from the internet/);
  });
});

describe('per-VU state', () => {
  it('gives each VU its own module state and __VU, shares SharedArray data', async () => {
    const { path, dir } = writeScript(`
      import { SharedArray } from 'k6/data';
      import { Counter } from 'k6/metrics';
      import exec from 'k6/execution';
      let calls = 0;
      const users = new SharedArray('users', () => JSON.parse(open('./users.json')));
      const perVu = new Counter('calls_seen');
      export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } },
        thresholds: { calls_seen: ['count==12'] } };
      export default function () {
        calls++;
        if (calls !== exec.vu.iterationInScenario + 1) throw new Error('module state leaked between VUs');
        const u = users[__VU - 1];
        u.name = 'mutated';
        if (users[__VU - 1].name === 'mutated') throw new Error('SharedArray element was shared mutable');
        if (users.length !== 3) throw new Error('bad length');
        perVu.add(1);
      }`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/users.json`, JSON.stringify([{ name: 'a' }, { name: 'b' }, { name: 'c' }]));
    const logs: ProgressEvent[] = [];
    const r = await run({ script: path, onProgress: (e) => logs.push(e) });
    expect(errors(logs)).toEqual([]);
    expect(r.exitCode).toBe(0);
    // Every iteration got past the checks that throw: 3 VUs × 4.
    expect(r.summary?.metrics.calls_seen?.values.count).toBe(12);
    expect(r.summary?.metrics.iterations?.values.count).toBe(12);
  });
});
