/**
 * Executor conformance against a local server: iteration counts, the ramping-vus curve, the
 * arrival-rate schedule (and dropped iterations), gracefulStop, startTime and per-scenario
 * exec/env/tags, and the accounting of single iterations (minIterationDuration, a throwing function).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function runScript(source: string, env: Record<string, string> = {}): Promise<RunResult> {
  const { path } = writeScript(source);
  return run({ script: path, env: { BASE: server.url, ...env } });
}

const values = (r: RunResult, metric: string): Record<string, number> => r.summary?.metrics[metric]?.values ?? {};

describe('per-vu-iterations', () => {
  it('runs exactly vus × iterations, each VU its own share', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      import { Counter } from 'k6/metrics';
      const mine = new Counter('iterations_of_vu_' + __VU);
      export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 4, iterations: 5 } } };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/?delay=5');
        mine.add(1);
      }`);
    expect(r.exitCode).toBe(0);
    expect(values(r, 'iterations').count).toBe(20);
    expect(values(r, 'http_reqs').count).toBe(20);
    for (const vu of [1, 2, 3, 4]) expect(values(r, `iterations_of_vu_${vu}`).count).toBe(5);
  });
});

describe('shared-iterations', () => {
  it('runs the exact total, shared between the VUs', async () => {
    const before = server.count;
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 3, iterations: 17 } } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=3'); }`);
    expect(r.exitCode).toBe(0);
    expect(values(r, 'iterations').count).toBe(17);
    expect(server.count - before).toBe(17);
    expect(values(r, 'vus_max').max).toBe(3);
  });
});

describe('constant-vus', () => {
  it('keeps the VUs busy for the duration', async () => {
    const started = performance.now();
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '1s' } } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=50'); }`);
    const took = performance.now() - started;
    expect(r.exitCode).toBe(0);
    // 2 VUs × 1 s / ~52 ms per iteration ≈ 38; allow for timer slack on a loaded machine.
    expect(values(r, 'iterations').count).toBeGreaterThanOrEqual(24);
    expect(values(r, 'iterations').count).toBeLessThanOrEqual(42);
    expect(values(r, 'vus').max).toBe(2);
    expect(took).toBeLessThan(4000);
  });
});

describe('ramping-vus', () => {
  it('follows the stages: up, hold, down', async () => {
    const before = server.queries.length;
    const r = await runScript(`
      import http from 'k6/http';
      import exec from 'k6/execution';
      export const options = { scenarios: { s: { executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '0s',
        stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 4 }, { duration: '1s', target: 0 }] } } };
      export default async function () {
        const t = exec.instance.currentTestRunDuration;
        await http.asyncRequest('GET', __ENV.BASE + '/?delay=20&t=' + t + '&vus=' + exec.instance.vusActive);
      }`);
    expect(r.exitCode).toBe(0);
    const samples = server.queries.slice(before).map((q) => ({ t: Number(q.get('t')), vus: Number(q.get('vus')) }));
    const at = (from: number, to: number) => samples.filter((s) => s.t >= from && s.t < to).map((s) => s.vus);
    // 0→4 over 1 s: one more VU every 250 ms.
    expect(Math.max(...at(0, 240))).toBeLessThanOrEqual(1);
    expect(at(300, 450).every((v) => v >= 1 && v <= 2)).toBe(true);
    expect(at(800, 950).every((v) => v >= 3 && v <= 4)).toBe(true);
    expect(at(1100, 1900).every((v) => v === 4)).toBe(true);
    expect(at(1100, 1900).length).toBeGreaterThan(50);
    // 4→0 over 1 s.
    expect(at(2300, 2450).every((v) => v >= 2 && v <= 3)).toBe(true);
    expect(at(2800, 2950).every((v) => v <= 1)).toBe(true);
    expect(samples.filter((s) => s.t > 3100)).toHaveLength(0);
    expect(values(r, 'vus').max).toBeLessThanOrEqual(4);
  });
});

describe('ramping-vus gracefulRampDown', () => {
  const script = (grace: string) => `
    import { sleep } from 'k6';
    import { Counter } from 'k6/metrics';
    const started = new Counter('started');
    export const options = { scenarios: { s: { executor: 'ramping-vus', startVUs: 2, gracefulRampDown: '${grace}',
      stages: [{ duration: '400ms', target: 2 }, { duration: '0s', target: 0 }, { duration: '800ms', target: 0 }] } } };
    export default async function () { started.add(1); await sleep(1.5); }`;

  it('interrupts iterations of ramped-down VUs after gracefulRampDown', async () => {
    const started = performance.now();
    const r = await runScript(script('200ms'));
    // Both VUs started their iteration, and neither finished it.
    expect(values(r, 'started').count).toBe(2);
    expect(r.summary?.metrics.iterations).toBeUndefined();
    // Stages end at 1.2 s; the iterations (1.5 s) were cut at 0.6 s, so nothing runs past 1.2 s.
    expect(performance.now() - started).toBeLessThan(1450);
  });

  it('lets them finish within gracefulRampDown', async () => {
    const r = await runScript(script('3s'));
    expect(values(r, 'iterations').count).toBe(2);
  });
});

describe('constant-arrival-rate', () => {
  it('starts rate × duration iterations against a slow target', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '2s', preAllocatedVUs: 10 } } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=50'); }`);
    expect(r.exitCode).toBe(0);
    const n = values(r, 'iterations').count ?? 0;
    expect(Math.abs(n - 80) / 80).toBeLessThanOrEqual(0.03);
    expect(r.summary?.metrics.dropped_iterations).toBeUndefined();
  });

  it('drops iterations when maxVUs cannot keep up', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, maxVUs: 2 } } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=200'); }`);
    const done = values(r, 'iterations').count ?? 0;
    const dropped = values(r, 'dropped_iterations').count ?? 0;
    expect(dropped).toBeGreaterThan(20);
    expect(done).toBeLessThanOrEqual(12);
    expect(done + dropped).toBe(40);
  });
});

describe('ramping-arrival-rate', () => {
  it('integrates the rate over the stages', async () => {
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 5, maxVUs: 10,
        stages: [{ duration: '1s', target: 40 }, { duration: '1s', target: 40 }] } } };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/?delay=10'); }`);
    expect(r.exitCode).toBe(0);
    // ∫ rate = 20 (ramp) + 40 (hold) = 60
    const n = values(r, 'iterations').count ?? 0;
    expect(Math.abs(n - 60)).toBeLessThanOrEqual(2);
  });
});

describe('gracefulStop', () => {
  it('interrupts an iteration that outlives duration + gracefulStop', async () => {
    const started = performance.now();
    const r = await runScript(`
      import { sleep } from 'k6';
      import { Counter } from 'k6/metrics';
      const started = new Counter('started');
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '500ms' } } };
      export default async function () { started.add(1); await sleep(3); }`);
    const took = performance.now() - started;
    expect(r.exitCode).toBe(0);
    expect(values(r, 'started').count).toBe(1);
    expect(r.summary?.metrics.iterations).toBeUndefined();
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(2800);
  });

  it('lets an iteration finish within gracefulStop', async () => {
    const r = await runScript(`
      import { sleep } from 'k6';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '2s' } } };
      export default async function () { await sleep(1.4); }`);
    expect(values(r, 'iterations').count).toBe(1);
  });
});

describe('several scenarios', () => {
  it('honours startTime, exec, env and tags per scenario', async () => {
    const started = performance.now();
    const before = server.queries.length;
    const r = await runScript(`
      import http from 'k6/http';
      import exec from 'k6/execution';
      export const options = {
        scenarios: {
          first: { executor: 'per-vu-iterations', vus: 1, iterations: 2, exec: 'a', env: { WHO: 'first' }, tags: { kind: 'a' } },
          second: { executor: 'shared-iterations', vus: 1, iterations: 3, exec: 'b', startTime: '600ms', env: { WHO: 'second' } },
        },
        thresholds: { 'iterations{kind:a}': ['count==2'], 'iterations{scenario:second}': ['count==3'] },
      };
      export async function a() { await http.asyncRequest('GET', __ENV.BASE + '/?who=' + __ENV.WHO + '&t=' + exec.instance.currentTestRunDuration + '&s=' + exec.scenario.name); }
      export async function b() { await http.asyncRequest('GET', __ENV.BASE + '/?who=' + __ENV.WHO + '&t=' + exec.instance.currentTestRunDuration + '&s=' + exec.scenario.name); }
      export default function () { throw new Error('default must not run'); }`);
    expect(r.exitCode).toBe(0);
    expect(r.thresholds.map((t) => t.ok)).toEqual([true, true]);
    const seen = server.queries.slice(before);
    expect(seen.filter((q) => q.get('who') === 'first' && q.get('s') === 'first')).toHaveLength(2);
    const second = seen.filter((q) => q.get('who') === 'second' && q.get('s') === 'second');
    expect(second).toHaveLength(3);
    expect(Math.min(...second.map((q) => Number(q.get('t'))))).toBeGreaterThanOrEqual(590);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('iterations', () => {
  it('stretches a short iteration to minIterationDuration', async () => {
    const started = performance.now();
    const r = await runScript(`
      import http from 'k6/http';
      export const options = { iterations: 3, vus: 1, minIterationDuration: '120ms' };
      export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/'); }`);
    expect(r.exitCode).toBe(0);
    expect(values(r, 'iterations').count).toBe(3);
    expect(values(r, 'iteration_duration').min).toBeGreaterThanOrEqual(120);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 120);
  });

  it('counts an iteration whose function throws synchronously, logs the error and goes on', async () => {
    const errors: string[] = [];
    const { path } = writeScript(`
      export const options = { iterations: 4, vus: 1 };
      export default function () { if (__ITER % 2 === 0) throw new Error('sync boom ' + __ITER); }`);
    const r = await run({ script: path, onProgress: (e) => e.type === 'log' && e.level === 'error' && errors.push(e.message) });
    expect(r.exitCode).toBe(0);
    expect(values(r, 'iterations').count).toBe(4);
    expect(errors.filter((e) => e.includes('sync boom'))).toHaveLength(2);
  });
});
