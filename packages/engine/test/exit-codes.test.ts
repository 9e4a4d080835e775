/** k6's exit codes: 0, 99 (thresholds, also early via abortOnFail), 104, 105, 107, 108, 110. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, run, type ProgressEvent, type RunResult } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function runScript(source: string, extra: { signal?: AbortSignal; logs?: ProgressEvent[] } = {}): Promise<RunResult> {
  const { path } = writeScript(source);
  return run({
    script: path,
    env: { BASE: server.url },
    ...(extra.signal ? { signal: extra.signal } : {}),
    onProgress: (e) => extra.logs?.push(e),
  });
}

describe('thresholds', () => {
  it('exits 0 when all thresholds pass', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { iterations: 3, thresholds: { http_req_duration: ['p(95)<5000'], http_reqs: ['count==3'] } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/'); }`);
    expect(r.exitCode).toBe(EXIT_CODES.OK);
    // Passed on the script's own samples, not on an empty run.
    expect(r.thresholds.map((t) => [t.metric, t.ok])).toEqual([
      ['http_req_duration', true],
      ['http_reqs', true],
    ]);
    expect(r.summary?.metrics.http_reqs?.values.count).toBe(3);
    expect(r.summary?.metrics.iterations?.values.count).toBe(3);
  });

  it('exits 99 when a threshold fails at the end', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { iterations: 3, thresholds: { http_req_duration: ['p(95)<1'] } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=30'); }`);
    expect(r.exitCode).toBe(99);
    expect(r.thresholds).toEqual([expect.objectContaining({ metric: 'http_req_duration', threshold: 'p(95)<1', ok: false })]);
    expect(r.summary?.metrics.http_req_duration?.thresholds).toEqual({ 'p(95)<1': { ok: false } });
  });

  it('aborts early with 99 when an abortOnFail threshold is crossed', async () => {
    const started = performance.now();
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { vus: 2, duration: '20s',
        thresholds: { 'http_req_failed': [{ threshold: 'rate<0.01', abortOnFail: true }] } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?status=500&delay=20'); }`);
    expect(r.exitCode).toBe(99);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.error).toMatch(/abortOnFail/);
  });

  it('waits delayAbortEval before aborting', async () => {
    const started = performance.now();
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { vus: 1, duration: '2s',
        thresholds: { 'http_req_failed': [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }] } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?status=503&delay=20'); }`);
    expect(r.exitCode).toBe(99);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
  });
});

describe('script errors', () => {
  it('exits 107 on an exception in the init context', async () => {
    const r = await runScript(`throw new Error('broken init'); export default function () {}`);
    expect(r.exitCode).toBe(107);
    expect(r.error).toMatch(/broken init/);
    expect(r.summary).toBeUndefined();
  });

  it('exits 107 on an exception in setup, without running the VUs', async () => {
    const before = server.count;
    const r = await runScript(`
      import http from 'k6/http';
      export function setup() { throw new Error('no setup for you'); }
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/'); }`);
    expect(r.exitCode).toBe(107);
    expect(r.error).toMatch(/no setup for you/);
    expect(server.count).toBe(before);
  });

  it('exits 107 on an exception in teardown, after the test ran', async () => {
    const r = await runScript(`
      export const options = { iterations: 2 };
      export default function () {}
      export function teardown() { throw new Error('bad teardown'); }`);
    expect(r.exitCode).toBe(107);
    expect(r.summary?.metrics.iterations?.values.count).toBe(2);
  });

  it('keeps going (exit 0) when an iteration throws, and logs the error', async () => {
    const logs: ProgressEvent[] = [];
    const r = await runScript(`
      export const options = { iterations: 4 };
      export default function () { if (__ITER % 2 === 0) throw new Error('flaky ' + __ITER); }`, { logs });
    expect(r.exitCode).toBe(0);
    expect(r.summary?.metrics.iterations?.values.count).toBe(4);
    expect(logs.some((e) => e.type === 'log' && e.level === 'error' && e.message.includes('flaky 0'))).toBe(true);
  });
});

describe('aborts', () => {
  it('exits 108 on exec.test.abort(), still running teardown and the summary', async () => {
    const started = performance.now();
    const r = await runScript(`
      import exec from 'k6/execution';
      import { sleep } from 'k6';
      import { Counter } from 'k6/metrics';
      const torn = new Counter('teardown_ran');
      export const options = { vus: 1, duration: '20s' };
      export default async function () { if (__ITER === 2) exec.test.abort('enough'); await sleep(0.05); }
      export function teardown() { torn.add(1); }`);
    expect(r.exitCode).toBe(108);
    expect(r.error).toMatch(/enough/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(r.summary?.metrics.teardown_ran?.values.count).toBe(1);
    expect(r.summary?.metrics.iterations?.values.count).toBe(2);
  });

  it('exits 108 when setup aborts', async () => {
    const r = await runScript(`
      import exec from 'k6/execution';
      export function setup() { exec.test.abort('target down'); }
      export default function () {}`);
    expect(r.exitCode).toBe(108);
  });

  it('exits 105 when the caller aborts the run', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    const started = performance.now();
    const r = await runScript(`
      import { sleep } from 'k6';
      export const options = { vus: 2, duration: '20s' };
      export default async function () { await sleep(0.1); }`, { signal: ac.signal });
    expect(r.exitCode).toBe(105);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(r.summary?.metrics.iterations?.values.count).toBeGreaterThan(0);
  });

  it('exits 110 when the script marks the test failed', async () => {
    const r = await runScript(`
      import exec from 'k6/execution';
      export default function () { exec.test.fail('data was wrong'); }`);
    expect(r.exitCode).toBe(110);
    expect(r.error).toMatch(/data was wrong/);
  });
});

describe('invalid configuration (104)', () => {
  it.each([
    ['a threshold with bad syntax', `export const options = { thresholds: { http_req_duration: ['p95 < 200'] } };`, /invalid threshold/],
    ['a threshold on an unknown metric', `export const options = { thresholds: { nope: ['count>0'] } };`, /no metric named "nope"/],
    ['an aggregation the metric type lacks', `export const options = { thresholds: { checks: ['p(95)<1'] } };`, /does not apply to a rate/],
    ['an unknown executor', `export const options = { scenarios: { s: { executor: 'warp-speed' } } };`, /unknown executor/],
    ['a missing exec function', `export const options = { scenarios: { s: { executor: 'shared-iterations', exec: 'nothere' } } };`, /nothere/],
  ])('rejects %s', async (_what, optionsLine, message) => {
    const r = await runScript(`${optionsLine}\nexport default function () {}`);
    expect(r.exitCode).toBe(104);
    expect(r.error).toMatch(message);
  });
});
