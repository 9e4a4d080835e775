/**
 * The k6-scripts/ suite: scripts written the way k6's documentation writes them (synchronous
 * http.*, sleep, groups, helpers, loops, batch, setup data, scenarios, sub-metric thresholds,
 * handleSummary), run unmodified against a local server, with their counts and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { run, type ProgressEvent, type RunResult } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const DIR = fileURLToPath(new URL('./k6-scripts/', import.meta.url));

interface Expectation {
  exitCode: number;
  /** Expected summary values, as "metric.value" (e.g. "http_reqs.count"). */
  values?: Record<string, number>;
  /** Requests the server must have received from the run. */
  served?: number;
  /** More checks on the result and the log's error and warning lines. */
  also?: (r: RunResult, errors: string[], ms: number) => void;
}

const CASES: Record<string, Expectation> = {
  '01-get-and-check.js': { exitCode: 0, values: { 'http_reqs.count': 5, 'checks.passes': 5, 'iterations.count': 5 }, served: 5 },
  '02-groups-with-helpers.js': { exitCode: 0, values: { 'http_reqs.count': 9, 'checks.passes': 9, 'checks.fails': 0 } },
  '03-nested-groups.js': { exitCode: 0, values: { 'http_reqs.count': 6 } },
  '04-loops.js': { exitCode: 0, values: { 'http_reqs.count': 18, 'iterations.count': 2 }, served: 18 },
  '05-batch-array.js': { exitCode: 0, values: { 'http_reqs.count': 6, 'checks.passes': 6 } },
  '06-batch-object.js': { exitCode: 0, values: { 'http_reqs.count': 2, 'checks.passes': 2 } },
  '07-http-verbs.js': { exitCode: 0, values: { 'http_reqs.count': 7, 'checks.passes': 1 } },
  '08-setup-data.js': { exitCode: 0, values: { 'http_reqs.count': 6, 'checks.passes': 5, 'iterations.count': 4 } },
  '09-scenarios.js': { exitCode: 0, values: { 'http_reqs.count': 16, 'iterations.count': 11 } },
  '10-submetric-thresholds.js': { exitCode: 0, values: { 'http_reqs.count': 8, 'checks.passes': 6, 'checks.fails': 2 } },
  '11-threshold-fails.js': { exitCode: 99, values: { 'http_reqs.count': 3, 'http_req_failed.passes': 3 } },
  '12-handle-summary.js': { exitCode: 0, also: (r) => expect(r.stdout).toBe('requests=3 iterations=3 release=r42\n') },
  '13-custom-metrics.js': { exitCode: 0, values: { 'shop_orders.count': 4, 'shop_order_ok.passes': 4 } },
  '14-class-client.js': { exitCode: 0, values: { 'http_reqs.count': 4, 'checks.passes': 2 } },
  '15-object-client.js': { exitCode: 0, values: { 'http_reqs.count': 9, 'checks.passes': 6 } },
  '16-imported-helpers.js': { exitCode: 0, values: { 'http_reqs.count': 6, 'checks.passes': 2 } },
  '17-sleep-paces.js': { exitCode: 0, values: { 'http_reqs.count': 3 }, also: (r) => expect(r.summary?.metrics.iteration_duration?.values.min).toBeGreaterThanOrEqual(100) },
  '18-redirects.js': { exitCode: 0, values: { 'http_reqs.count': 4, 'checks.passes': 2 } },
  '19-json-selectors.js': { exitCode: 0, values: { 'http_reqs.count': 4, 'checks.passes': 2 } },
  '20-arrow-default.js': { exitCode: 0, values: { 'http_reqs.count': 8, 'checks.passes': 4 } },
  '21-typeerror-fails-fast.js': {
    exitCode: 107,
    also: (r, errors, ms) => {
      expect(r.error).toMatch(/before any iteration succeeded.*TypeError: Cannot read properties of .*forEach/s);
      expect(r.error).toMatch(/21-typeerror-fails-fast\.js:9:/);
      expect(ms).toBeLessThan(10_000);
    },
  },
  '22-callback-refused.js': {
    exitCode: 107,
    served: 0,
    also: (r) => expect(r.error).toMatch(/22-callback-refused\.js:8:24: this function is passed to `\['\/a', '\/b'\]\.forEach\(\)`.*http\.get\(\) at line 9/),
  },
  '23-async-group-callback.js': {
    exitCode: 107,
    also: (r, _e, ms) => {
      expect(r.error).toMatch(/group\(\) does not support async functions/);
      expect(ms).toBeLessThan(10_000);
    },
  },
  '24-no-request-succeeds.js': {
    exitCode: 110,
    values: { 'http_reqs.count': 3, 'http_req_failed.passes': 3 },
    also: (r) => expect(r.error).toMatch(/no HTTP request succeeded: all 3 requests failed/),
  },
  '25-init-request.js': { exitCode: 107, served: 0, also: (r) => expect(r.error).toMatch(/Making http requests in the init context is not supported/) },
  '26-constant-vus.js': { exitCode: 0, also: (r) => expect(r.summary?.metrics.iterations?.values.count).toBeGreaterThanOrEqual(6) },
  '27-async-style.js': { exitCode: 0, values: { 'http_reqs.count': 6, 'checks.passes': 4 } },
  '28-fail-in-helper.js': { exitCode: 0, values: { 'http_reqs.count': 6, 'iterations.count': 4, 'checks.fails': 2 } },
  '29-recursion-and-conditionals.js': { exitCode: 0, values: { 'http_reqs.count': 5 } },
  '30-check-predicate-throws.js': {
    exitCode: 0,
    values: { 'checks.fails': 3, 'checks.passes': 0, 'http_reqs.count': 3, 'iterations.count': 3 },
    also: (_r, errors) => expect(errors.filter((e) => e.includes('no items in the body'))).toHaveLength(3),
  },
  '31-async-check-predicate.js': {
    exitCode: 107,
    also: (r, _e, ms) => {
      expect(r.error).toMatch(/check\(\) does not support async predicates/);
      expect(ms).toBeLessThan(10_000);
    },
  },
  '32-abort-in-init.js': { exitCode: 108, served: 0, also: (r) => expect(r.error).toMatch(/REQUIRED_TOKEN is not set/) },
  '33-handle-summary-throws.js': {
    exitCode: 0,
    values: { 'http_reqs.count': 2 },
    also: (r, errors) => {
      expect(errors.join('\n')).toMatch(/handleSummary\(\) failed: TypeError/);
      expect(r.stdout).toMatch(/http_reqs\.+: 2 /);
    },
  },
  '34-sleep-never-early.js': {
    exitCode: 0,
    values: { 'iterations.count': 20 },
    also: (r) => expect(r.summary?.metrics.slept_ms?.values.min).toBeGreaterThanOrEqual(30),
  },
  '35-threshold-without-samples.js': { exitCode: 0, values: { 'http_reqs.count': 2 } },
  '36-max-duration-drops.js': {
    exitCode: 0,
    also: (r) => {
      const m = r.summary?.metrics;
      const completed = m?.iterations?.values.count ?? 0;
      const dropped = m?.dropped_iterations?.values.count ?? 0;
      // 2 VUs × 10 planned; each VU starts about 4 before the 1 s maxDuration (one of them cut off).
      expect(completed).toBeGreaterThanOrEqual(4);
      expect(dropped).toBeGreaterThanOrEqual(10);
      expect(completed + dropped).toBeGreaterThanOrEqual(18);
      expect(completed + dropped).toBeLessThanOrEqual(20);
    },
  },
  '37-vus-alone.js': {
    exitCode: 0,
    values: { 'iterations.count': 1, 'vus_max.value': 1 },
    served: 1,
    also: (_r, logs) => expect(logs).toContain('the `vus=5` option will be ignored, it only works in conjunction with `iterations`, `duration`, or `stages`'),
  },
  '38-unsupported-api.js': {
    exitCode: 107,
    values: { 'http_reqs.count': 1 },
    also: (r, _e, ms) => {
      expect(r.error).toMatch(/an API the perf-lab engine does not support: UnsupportedApiError: http\.file\(\) \(multipart uploads\) is not supported/);
      expect(ms).toBeLessThan(10_000);
    },
  },
  '39-lifecycle-fresh-vus.js': {
    exitCode: 0,
    values: { 'http_reqs.count': 3 },
    served: 3,
    also: (r) => expect(r.stdout).toBe('setup=1 setup-vu=0 summary=0 vu=0\n'),
  },
};

let server: TestServer;
let deadUrl: string;
beforeAll(async () => {
  server = await startTestServer();
  // A port that was just free and is closed again: connections to it are refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  deadUrl = `http://127.0.0.1:${port}/`;
});
afterAll(async () => {
  await server.close();
});

describe('k6 scripts in the synchronous style, unmodified', () => {
  it('has at least 25 scripts, each with an expectation', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(DIR).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files.sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [file, expected] of Object.entries(CASES)) {
    it(file, async () => {
      const logs: ProgressEvent[] = [];
      const before = server.count;
      const started = performance.now();
      const r = await run({ script: DIR + file, env: { BASE: server.url, DEAD: deadUrl }, onProgress: (e) => logs.push(e) });
      const ms = performance.now() - started;
      const errors = logs.flatMap((e) => (e.type === 'log' && (e.level === 'error' || e.level === 'warn') ? [e.message] : []));
      expect(r.exitCode, r.error ?? errors.join('\n')).toBe(expected.exitCode);
      for (const [key, value] of Object.entries(expected.values ?? {})) {
        const [metric, stat] = key.split('.') as [string, string];
        expect(r.summary?.metrics[metric]?.values[stat], key).toBe(value);
      }
      if (expected.exitCode === 0 || expected.exitCode === 99) expect(r.thresholds.filter((t) => !t.ok).length > 0).toBe(expected.exitCode === 99);
      if (expected.served !== undefined) expect(server.count - before).toBe(expected.served);
      expected.also?.(r, errors, ms);
    });
  }
});
