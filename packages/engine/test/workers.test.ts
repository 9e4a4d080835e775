/** `workers: N`: the test split over N processes by execution segments, metrics merged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('workers', () => {
  it('splits iterations, VUs and arrival-rate starts exactly and merges the metrics', async () => {
    const before = server.queries.length;
    const { path } = writeScript(`
      import http from 'k6/http';
      import { check } from 'k6';
      import exec from 'k6/execution';
      export const options = {
        scenarios: {
          shared: { executor: 'shared-iterations', vus: 3, iterations: 11, exec: 'tagged' },
          open: { executor: 'constant-arrival-rate', rate: 30, duration: '1s', preAllocatedVUs: 6, maxVUs: 10, exec: 'tagged' },
        },
        thresholds: { 'http_reqs{scenario:shared}': ['count==11'], 'iterations{scenario:open}': ['count>0'], http_req_duration: ['p(95)<2000'] },
      };
      export function setup() { return { token: 'from-setup' }; }
      export async function tagged(data) {
        const res = await http.asyncRequest('GET', __ENV.BASE + '/?delay=10&s=' + exec.scenario.name + '&vu=' + exec.vu.idInTest + '&it=' + exec.scenario.iterationInTest + '&token=' + data.token);
        check(res, { ok: (r) => r.status === 200 });
      }
      export default function () {}`);
    const r = await run({ script: path, env: { BASE: server.url }, workers: 2 });
    expect(r.thresholds.filter((t) => !t.ok)).toEqual([]);
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(0);
    // The open model may drop a start on a starved machine; started + dropped is exact.
    const open = r.summary?.metrics['iterations{scenario:open}']?.values.count ?? 0;
    const dropped = r.summary?.metrics.dropped_iterations?.values.count ?? 0;
    expect(open + dropped).toBe(30);
    expect(r.summary?.metrics.iterations?.values.count).toBe(11 + open);
    expect(r.summary?.root_group.checks[0]).toMatchObject({ name: 'ok', passes: 11 + open, fails: 0 });
    const seen = server.queries.slice(before);
    expect(seen.every((q) => q.get('token') === 'from-setup')).toBe(true);
    // iterationInTest is unique across workers, as with k6 execution segments.
    const sharedIts = seen.filter((q) => q.get('s') === 'shared').map((q) => Number(q.get('it')));
    expect(sharedIts.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    const openIts = seen.filter((q) => q.get('s') === 'open').map((q) => Number(q.get('it')));
    expect(new Set(openIts).size).toBe(open);
    expect(Math.max(...openIts)).toBeLessThan(30);
    const sharedVus = new Set(seen.filter((q) => q.get('s') === 'shared').map((q) => q.get('vu')));
    expect([...sharedVus].every((v) => ['1', '2', '3'].includes(v ?? ''))).toBe(true);
    expect(r.timeSeries.reduce((n, p) => n + p.httpReqs, 0)).toBe(11 + open);
    // Trends are merged from both workers' histograms: every request waited the server's 10 ms.
    expect(r.summary?.metrics.http_req_duration?.values.min).toBeGreaterThanOrEqual(9);
    expect(r.summary?.metrics.vus_max?.values.max).toBeGreaterThanOrEqual(9);
  });

  it('propagates test.abort() from one worker to all (exit 108)', async () => {
    const started = performance.now();
    const { path } = writeScript(`
      import exec from 'k6/execution';
      import { sleep } from 'k6';
      export const options = { vus: 2, duration: '20s' };
      export default async function () { if (exec.vu.idInTest === 2 && __ITER === 3) exec.test.abort('stop all'); await sleep(0.05); }`);
    const r = await run({ script: path, workers: 2 });
    expect(r.exitCode).toBe(108);
    expect(performance.now() - started).toBeLessThan(8000);
  });
});

describe('workers failing', () => {
  it('reports a worker that cannot start instead of waiting for it', async () => {
    // Only the second worker's VUs throw in init: the first must not wait for it forever.
    const { path } = writeScript(`
      import exec from 'k6/execution';
      if (__VU > 0 && exec.vu.idInTest % 2 === 0) throw new Error('second worker broken');
      export const options = { vus: 2, duration: '120s' };
      export default async function () {}`);
    const started = performance.now();
    const r = await run({ script: path, workers: 2 });
    expect(r.exitCode).toBe(107);
    expect(r.error).toMatch(/second worker broken/);
    // Waiting for the healthy worker would take the whole 120 s; starting two workers on a
    // loaded 2-core machine can take several seconds, so the bound is generous but far below.
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

describe('execution segments in one process', () => {
  it('runs only its share, with test-wide iteration numbers', async () => {
    const before = server.queries.length;
    const { path } = writeScript(`
      import http from 'k6/http';
      import exec from 'k6/execution';
      export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 3, iterations: 11 } } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?it=' + exec.scenario.iterationInTest + '&vu=' + exec.vu.idInTest); }`);
    const halves = [];
    for (const segment of ['0:1/2', '1/2:1']) {
      const r = await run({ script: path, env: { BASE: server.url }, options: { executionSegment: segment, executionSegmentSequence: '0,1/2,1' } });
      halves.push(r.summary?.metrics.iterations?.values.count);
    }
    // As k6: the halves have 2 and 1 of the 3 VUs, so the iterations are dealt over 0,2/3,1
    // (slots owned [first, second, first]): 11 → 7 and 4.
    expect(halves).toEqual([7, 4]);
    const its = server.queries.slice(before).map((q) => Number(q.get('it')));
    expect(its.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    const vus = new Set(server.queries.slice(before).map((q) => q.get('vu')));
    expect([...vus].sort()).toEqual(['1', '2', '3']);
  });
});
