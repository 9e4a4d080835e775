/**
 * Requests a VU had sent when it was cut off. The target answers only after 3 s, well past the
 * point where gracefulRampDown or gracefulStop runs out: the server has each request (it could
 * act on it), and the script never sees an answer — so it never logs one. The run says how many
 * such requests there were (RunResult.interruptedInFlight), and counts nothing for a VU cut off
 * while it slept after its answer had come.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

/** Long enough to outlive every grace period below, short enough to bound each test. */
const ANSWER_AFTER_MS = 3000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Runs the script; how many requests the server received meanwhile comes back with the result. */
async function runScript(source: string, workers?: number): Promise<{ r: RunResult; received: number; ms: number }> {
  const { path } = writeScript(source);
  const before = server.count;
  const started = performance.now();
  const r = await run({ script: path, env: { BASE: server.url, SLOW: String(ANSWER_AFTER_MS) }, ...(workers ? { workers } : {}) });
  return { r, received: server.count - before, ms: performance.now() - started };
}

/** Counts iterations that got an answer, as a scenario's log line would. */
const logged = (r: RunResult): number => r.summary?.metrics['answered']?.values['count'] ?? 0;

describe('requests in flight when their VU is interrupted', () => {
  it('gracefulRampDown expired: each ramped-down VU\'s POST is counted', async () => {
    const { r, received, ms } = await runScript(`
      import http from 'k6/http';
      import { Counter } from 'k6/metrics';
      const answered = new Counter('answered');
      export const options = { scenarios: { s: { executor: 'ramping-vus', startVUs: 3, gracefulRampDown: '200ms',
        stages: [{ duration: '300ms', target: 3 }, { duration: '0s', target: 0 }, { duration: '600ms', target: 0 }] } } };
      export default function () {
        http.post(__ENV.BASE + '/orders?delay=' + __ENV.SLOW, JSON.stringify({ key: __VU + '-' + __ITER }));
        answered.add(1);
      }`);
    expect(r.exitCode).toBe(0);
    expect(received).toBe(3);
    expect(logged(r)).toBe(0);
    expect(r.interruptedInFlight).toBe(3);
    // Cut off at 0.5 s, not left to wait for the 3 s answers.
    expect(ms).toBeLessThan(ANSWER_AFTER_MS);
  });

  it('gracefulStop expired: the one request in flight is counted, the answered ones are not', async () => {
    const { r, received } = await runScript(`
      import http from 'k6/http';
      import { Counter } from 'k6/metrics';
      const answered = new Counter('answered');
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '400ms', gracefulStop: '200ms' } } };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/?delay=20');
        answered.add(1);
        await http.asyncRequest('POST', __ENV.BASE + '/orders?delay=' + __ENV.SLOW);
        answered.add(1);
      }`);
    expect(r.exitCode).toBe(0);
    expect(logged(r)).toBe(1);
    expect(received).toBe(2);
    expect(r.interruptedInFlight).toBe(1);
  });

  it('a VU cut off while it sleeps, its answer received, counts nothing', async () => {
    const { r, received } = await runScript(`
      import http from 'k6/http';
      import { sleep } from 'k6';
      import { Counter } from 'k6/metrics';
      const answered = new Counter('answered');
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '300ms', gracefulStop: '100ms' } } };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/?delay=10');
        answered.add(1);
        await sleep(3);
      }`);
    expect(r.exitCode).toBe(0);
    expect(r.summary?.metrics['iterations']).toBeUndefined();
    expect(received).toBe(2);
    expect(logged(r)).toBe(2);
    expect(r.interruptedInFlight).toBe(0);
  });

  it('with workers, each worker\'s count reaches the run\'s', async () => {
    const { r, received } = await runScript(`
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '300ms', gracefulStop: '100ms' } } };
      export default function () { http.get(__ENV.BASE + '/?delay=' + __ENV.SLOW); }`, 2);
    expect(r.exitCode).toBe(0);
    expect(received).toBe(4);
    expect(r.interruptedInFlight).toBe(4);
  });
});
