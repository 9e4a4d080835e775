/** The summary: k6's handleSummary data structure, handleSummary outputs, text and legacy export. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

const SCRIPT = `
  import http from 'k6/http';
  import { check, group } from 'k6';
  import { Trend, Rate, Gauge } from 'k6/metrics';
  const waiting = new Trend('custom_waiting', true);
  const plain = new Trend('custom_plain');
  const ok = new Rate('custom_ok');
  const level = new Gauge('custom_level');
  export const options = {
    iterations: 4,
    summaryTrendStats: ['avg', 'p(50)', 'p(99.9)', 'count'],
    thresholds: { http_req_duration: ['p(99.9)<5000'], 'http_req_duration{group:::shop}': ['max<5000'], custom_ok: ['rate>0.4'] },
  };
  export default function () {
    group('shop', () => {
      const res = http.get(__ENV.BASE + '/?delay=5');
      check(res, { 'is 200': (r) => r.status === 200 });
      waiting.add(res.timings.waiting);
    });
    check(null, { 'odd iteration': () => __ITER % 2 === 1 });
    plain.add(__ITER + 1);
    ok.add(__ITER < 2);
    level.add(10 * (__ITER + 1));
  }`;

describe('summary data', () => {
  it("has k6's structure: root_group, options, state, metrics", async () => {
    const { path } = writeScript(SCRIPT);
    const r = await run({ script: path, env: { BASE: server.url } });
    expect(r.exitCode).toBe(0);
    const s = r.summary!;
    expect(s.options).toEqual({ summaryTrendStats: ['avg', 'p(50)', 'p(99.9)', 'count'], summaryTimeUnit: '', noColor: true });
    expect(s.state.testRunDurationMs).toBeGreaterThan(0);
    expect(s.state).toMatchObject({ isStdOutTTY: false, isStdErrTTY: false });

    expect(s.root_group).toMatchObject({ name: '', path: '', id: md5('') });
    expect(s.root_group.checks).toEqual([{ name: 'odd iteration', path: '::odd iteration', id: md5('::odd iteration'), passes: 2, fails: 2 }]);
    const shop = s.root_group.groups[0]!;
    expect(shop).toMatchObject({ name: 'shop', path: '::shop', id: md5('::shop'), groups: [] });
    expect(shop.checks).toEqual([{ name: 'is 200', path: '::shop::is 200', id: md5('::shop::is 200'), passes: 4, fails: 0 }]);

    const m = s.metrics;
    expect(m.http_reqs).toEqual({ type: 'counter', contains: 'default', values: { count: 4, rate: expect.any(Number) } });
    expect(m.http_reqs!.values.rate).toBeCloseTo(4 / (s.state.testRunDurationMs / 1000), 6);
    expect(m.data_received).toMatchObject({ type: 'counter', contains: 'data' });
    expect(m.checks).toEqual({ type: 'rate', contains: 'default', values: { rate: 0.75, passes: 6, fails: 2 } });
    expect(m.custom_ok).toEqual({ type: 'rate', contains: 'default', values: { rate: 0.5, passes: 2, fails: 2 }, thresholds: { 'rate>0.4': { ok: true } } });
    expect(m.custom_level).toEqual({ type: 'gauge', contains: 'default', values: { value: 40, min: 10, max: 40 } });
    expect(m.custom_plain).toEqual({ type: 'trend', contains: 'default', values: { avg: 2.5, 'p(50)': 2.5, 'p(99.9)': expect.closeTo(3.997, 6), count: 4 } });
    expect(m.custom_waiting).toMatchObject({ type: 'trend', contains: 'time' });
    expect(Object.keys(m.http_req_duration!.values)).toEqual(['avg', 'p(50)', 'p(99.9)', 'count']);
    expect(m.http_req_duration!.thresholds).toEqual({ 'p(99.9)<5000': { ok: true } });
    expect(m['http_req_duration{group:::shop}']).toMatchObject({ type: 'trend', values: { count: 4 }, thresholds: { 'max<5000': { ok: true } } });
    expect(m['http_req_duration{expected_response:true}']!.values.count).toBe(4);
    expect(m.group_duration!.values.count).toBe(4);
    expect(m.vus).toMatchObject({ type: 'gauge', values: { value: 1, min: 1, max: 1 } });
    expect(m.iterations!.values.count).toBe(4);
    for (const name of ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'iteration_duration', 'data_sent']) {
      expect(m[name], name).toBeDefined();
    }
    expect(m.dropped_iterations).toBeUndefined();
  });

  it('passes the data to handleSummary and writes what it returns', async () => {
    const { path, dir } = writeScript(`
      import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';
      export const options = { iterations: 2 };
      export default function () {}
      export function handleSummary(data) {
        return {
          stdout: 'custom:' + data.metrics.iterations.values.count + '\\n' + textSummary(data, { indent: ' ', enableColors: false }),
          'out/summary.json': JSON.stringify(data),
          'plain.txt': 'vus=' + data.metrics.vus.values.max,
        };
      }`);
    const r = await run({ script: path, cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^custom:2\n/);
    expect(r.stdout).toMatch(/iterations\.+: 2 /);
    const written = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8'));
    expect(written.metrics.iterations.values.count).toBe(2);
    expect(readFileSync(join(dir, 'plain.txt'), 'utf8')).toBe('vus=1');
    expect(r.files).toEqual(expect.arrayContaining([join(dir, 'out/summary.json'), join(dir, 'plain.txt')]));
  });

  it('prints the default text summary without handleSummary, and writes the legacy export', async () => {
    const { path, dir } = writeScript(SCRIPT);
    const r = await run({ script: path, env: { BASE: server.url }, summaryExport: 'export.json', cwd: dir });
    expect(r.stdout).toMatch(/█ THRESHOLDS/);
    expect(r.stdout).toMatch(/✓ 'p\(99\.9\)<5000'/);
    expect(r.stdout).toMatch(/checks_succeeded\.+: 75\.00% +6 out of 8/);
    expect(r.stdout).toMatch(/✗ odd iteration\n\s+↳ {2}50% — ✓ 2 \/ ✗ 2/);
    expect(r.stdout).toMatch(/http_reqs\.+: 4 /);
    expect(r.stdout).toMatch(/█ GROUP: shop/);
    const legacy = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8'));
    expect(legacy.metrics.checks).toEqual({ passes: 6, fails: 2, value: 0.75 });
    // k6's legacy export says whether a threshold FAILED.
    expect(legacy.metrics.custom_ok.thresholds).toEqual({ 'rate>0.4': false });
    expect(legacy.root_group.groups.shop.checks['is 200'].passes).toBe(4);
  });

  it('writes --out json-aggregate lines aggregated per second and series', async () => {
    const { path, dir } = writeScript(`
      import http from 'k6/http';
      export const options = { vus: 2, duration: '1500ms', thresholds: { http_reqs: ['count>0'] } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=5'); }`);
    const out = join(dir, 'points.json');
    const r = await run({ script: path, env: { BASE: server.url }, out: [`json-aggregate=${out}`] });
    expect(existsSync(out)).toBe(true);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { value: number; tags: Record<string, string>; thresholds?: string[] } });
    const reqMeta = lines.find((l) => l.type === 'Metric' && l.metric === 'http_reqs');
    expect(reqMeta?.data).toMatchObject({ name: 'http_reqs', type: 'counter', contains: 'default', thresholds: ['count>0'] });
    const reqPoints = lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
    const total = reqPoints.reduce((n, l) => n + l.data.value, 0);
    expect(total).toBe(r.summary?.metrics.http_reqs?.values.count);
    // Aggregated: far fewer lines than requests.
    expect(reqPoints.length).toBeLessThanOrEqual(4);
    expect(reqPoints[0]?.data.tags).toMatchObject({ method: 'GET', status: '200', scenario: 'default' });
    expect(r.timeSeries.reduce((n, p) => n + p.httpReqs, 0)).toBe(total);
    expect(r.timeSeries.some((p) => p.vus === 2 && p.httpReqDurationP95 > 0)).toBe(true);
  });

  it('splits every total of the summary over the seconds of the time series', async () => {
    const { path } = writeScript(`
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { vus: 3, duration: '2200ms' };
      export async function setup() {
        // setup's samples belong to the run's first second.
        const res = await http.asyncRequest('GET', __ENV.BASE + '/?status=500');
        check(res, { 'setup answered': (r) => r.status === 500 });
      }
      export default async function () {
        const status = __ITER % 3 === 0 ? 404 : 200;
        const res = await http.asyncRequest('POST', __ENV.BASE + '/?delay=3&status=' + status, 'x'.repeat(__ITER % 5));
        check(res, { 'is 200': (r) => r.status === 200, 'answered': (r) => r.status > 0 });
      }`);
    const r = await run({ script: path, env: { BASE: server.url } });
    const m = r.summary?.metrics;
    const sum = (field: 'httpReqs' | 'httpReqFailed' | 'iterations' | 'dataSent' | 'dataReceived' | 'checksPassed' | 'checksFailed'): number =>
      r.timeSeries.reduce((n, p) => n + p[field], 0);
    expect(r.timeSeries.length).toBeGreaterThanOrEqual(2);
    expect(sum('httpReqs')).toBe(m?.http_reqs?.values.count);
    expect(sum('httpReqFailed')).toBe(m?.http_req_failed?.values.passes);
    expect(sum('httpReqFailed')).toBeGreaterThan(0);
    expect(sum('iterations')).toBe(m?.iterations?.values.count);
    expect(sum('dataSent')).toBe(m?.data_sent?.values.count);
    expect(sum('dataReceived')).toBe(m?.data_received?.values.count);
    expect(sum('checksPassed')).toBe(m?.checks?.values.passes);
    expect(sum('checksFailed')).toBe(m?.checks?.values.fails);
    expect(sum('checksFailed')).toBeGreaterThan(0);
    const weightedAvg = r.timeSeries.reduce((n, p) => n + p.httpReqDurationAvg * p.httpReqs, 0) / sum('httpReqs');
    expect(weightedAvg).toBeCloseTo(m?.http_req_duration?.values.avg ?? -1, 6);
  });
});
