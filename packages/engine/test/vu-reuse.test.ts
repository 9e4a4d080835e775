/**
 * An interrupted VU goes back to the pool, as in k6: the same `__VU` runs the next iterations,
 * `__ITER` (and `exec.vu.iterationInScenario` within a scenario) goes on, the script is not
 * evaluated again, and `vus_max` stays at what was initialized before the test.
 *
 * Inits are counted on `globalThis`, which all VUs of a run share (each VU has its own module
 * instances, so a module-level counter would only ever reach 1); VU 0, the one reading options,
 * is left out. Each iteration reports what it sees through per-VU metrics.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../src/index.ts';
import { writeScript } from './helpers/script-file.ts';

/** The script's body around `options`: an iteration that is always busy (a 70 ms sleep). */
function reportingScript(options: string): string {
  return `
    import { sleep } from 'k6';
    import exec from 'k6/execution';
    import { Counter, Gauge } from 'k6/metrics';
    const key = 'perfLabInits_' + __ENV.RUN_KEY;
    if (__VU !== 0) globalThis[key] = (globalThis[key] ?? 0) + 1;
    const started = new Counter('started_vu_' + __VU);
    const iter = new Gauge('iter_vu_' + __VU);
    // Metrics are made in the init context only; one per scenario name the tests use.
    const inScenario = Object.fromEntries(['s', 'a', 'b'].map((n) => [n, new Gauge('in_' + n + '_vu_' + __VU)]));
    const inits = new Gauge('inits');
    export const options = ${options};
    export default async function () {
      started.add(1);
      iter.add(__ITER);
      inScenario[exec.scenario.name].add(exec.vu.iterationInScenario);
      inits.add(globalThis[key]);
      await sleep(0.07);
    }`;
}

async function runReporting(options: string): Promise<RunResult> {
  const { path } = writeScript(reportingScript(options));
  return run({ script: path, env: { RUN_KEY: randomUUID().replaceAll('-', '') } });
}

const values = (r: RunResult, metric: string): Record<string, number> => r.summary?.metrics[metric]?.values ?? {};
const count = (r: RunResult, metric: string): number => values(r, metric).count ?? 0;

/** VU ids that ran at least one iteration. */
function vusSeen(r: RunResult): string[] {
  return Object.keys(r.summary?.metrics ?? {})
    .filter((m) => m.startsWith('started_vu_'))
    .map((m) => m.slice('started_vu_'.length))
    .sort();
}

function expectReusedVus(r: RunResult, interrupted: number): void {
  expect(r.exitCode).toBe(0);
  const ids = vusSeen(r);
  expect(ids).toEqual(['1', '2']);
  const started = ids.reduce((n, id) => n + count(r, `started_vu_${id}`), 0);
  expect(started - count(r, 'iterations')).toBe(interrupted);
  // __ITER never restarts: a VU's highest __ITER is the number of iterations it started, less one.
  for (const id of ids) expect(values(r, `iter_vu_${id}`).max).toBe(count(r, `started_vu_${id}`) - 1);
  expect(values(r, 'inits').min).toBe(2);
  expect(values(r, 'inits').max).toBe(2);
  expect(values(r, 'vus_max').min).toBe(2);
  expect(values(r, 'vus_max').max).toBe(2);
}

describe('VUs interrupted by a ramp-down', () => {
  it('come back with the same __VU, __ITER going on, without a new init', async () => {
    const r = await runReporting(`{ scenarios: { s: { executor: 'ramping-vus', startVUs: 2, gracefulRampDown: '0s',
      stages: [{ duration: '300ms', target: 2 }, { duration: '0s', target: 0 }, { duration: '200ms', target: 0 },
               { duration: '0s', target: 2 }, { duration: '300ms', target: 2 }] } } }`);
    expectReusedVus(r, 2);
    // Same scenario: iterationInScenario goes on too (k6 keeps a counter per scenario in the VU).
    for (const id of ['1', '2']) expect(values(r, `in_s_vu_${id}`).max).toBe(count(r, `started_vu_${id}`) - 1);
    // Each VU ran iterations before and after its interruption (~4 in each 300 ms stretch).
    for (const id of ['1', '2']) expect(count(r, `started_vu_${id}`)).toBeGreaterThanOrEqual(4);
  });
});

describe('VUs interrupted by gracefulStop', () => {
  it('are lent to the next scenario as they are', async () => {
    const r = await runReporting(`{ scenarios: {
      a: { executor: 'constant-vus', vus: 2, duration: '300ms', gracefulStop: '0s' },
      b: { executor: 'per-vu-iterations', vus: 2, iterations: 2, startTime: '400ms' } } }`);
    expectReusedVus(r, 2);
    // A new scenario counts its own iterations from 0, while __ITER went on from scenario a.
    for (const id of ['1', '2']) {
      expect(values(r, `in_b_vu_${id}`).min).toBe(0);
      expect(values(r, `in_b_vu_${id}`).max).toBe(1);
      expect(values(r, `in_a_vu_${id}`).max).toBe(count(r, `started_vu_${id}`) - 3);
    }
  });
});

describe('an interrupted iteration resumed by a promise the engine does not control', () => {
  it('is not counted in the VU that was lent again', async () => {
    // Node's setTimeout, not k6/timers: the engine cannot cancel it, so the abandoned iteration
    // of scenario a resumes while its VU runs scenario b.
    const { path } = writeScript(`
      import { sleep } from 'k6';
      import { Counter } from 'k6/metrics';
      const b = new Counter('b_iterations');
      export const options = { scenarios: {
        a: { executor: 'constant-vus', vus: 1, duration: '200ms', gracefulStop: '0s' },
        b: { executor: 'constant-vus', vus: 1, duration: '800ms', startTime: '300ms', exec: 'inB' } } };
      export default async function () { await new Promise((resolve) => globalThis.setTimeout(resolve, 400)); }
      export async function inB() { b.add(1); await sleep(0.05); }`);
    const r = await run({ script: path });
    expect(r.exitCode).toBe(0);
    expect(count(r, 'b_iterations')).toBeGreaterThan(5);
    expect(count(r, 'iterations')).toBe(count(r, 'b_iterations'));
  });
});
