/**
 * One test over several load generators: three engine processes, each running one execution
 * segment with `--out partial=DIR`, merged by mergePartials, give the totals and percentiles of
 * one run of the whole test; parts that do not make one whole test are refused.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePartials, PartialMergeError, run, type MergedResult, type RunResult } from '../src/index.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const ITERATIONS = 90;
const SEQUENCE = '0,1/3,2/3,1';
const SEGMENTS = ['0:1/3', '1/3:2/3', '2/3:1'];

// Deterministic values per iteration (the `step` trend, the server's delay) make the whole test's
// distribution the same however it is split; `iterations count==90` fails on every part alone.
const SCRIPT = `
  import http from 'k6/http';
  import { check } from 'k6';
  import exec from 'k6/execution';
  import { Trend, Counter } from 'k6/metrics';
  const step = new Trend('step');
  const bytes = new Counter('payload_bytes');
  export const options = {
    scenarios: { all: { executor: 'shared-iterations', vus: 6, iterations: ${ITERATIONS} } },
    thresholds: { iterations: ['count==${ITERATIONS}'], step: ['p(90)<1000'], 'http_req_duration{kind:slow}': ['max<5000'] },
  };
  export default async function () {
    const i = exec.scenario.iterationInTest;
    step.add((i % 30) * 10 + 1);
    bytes.add(i);
    const kind = i % 3 === 0 ? 'slow' : 'fast';
    const res = await http.asyncRequest('GET', __ENV.BASE + '/?delay=' + (kind === 'slow' ? 20 : 2) + '&it=' + i, null, { tags: { kind } });
    check(res, { 'status 200': (r) => r.status === 200, 'it odd': () => i % 2 === 1 });
    console.log('op it=' + i);
  }`;

let server: TestServer;
let script: string;
let partsRoot: string;
let parts: string[];
let merged: MergedResult;
let whole: RunResult;
let exitCodes: (number | null)[];

function generator(segment: string, out: string): Promise<number | null> {
  return new Promise((resolve) => {
    const args = ['run', '--quiet', '--no-summary', '--execution-segment', segment, '--execution-segment-sequence', SEQUENCE, '--out', `partial=${out}`, '-e', `BASE=${server.url}`, script];
    const child = spawn(TSX, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
}

beforeAll(async () => {
  server = await startTestServer();
  script = writeScript(SCRIPT).path;
  partsRoot = mkdtempSync(join(tmpdir(), 'perf-lab-parts-'));
  parts = SEGMENTS.map((_, i) => join(partsRoot, String(i)));
  exitCodes = await Promise.all(SEGMENTS.map((s, i) => generator(s, parts[i] as string)));
  merged = await mergePartials([...parts].reverse());
  whole = await run({ script, env: { BASE: server.url } });
}, 120_000);
afterAll(async () => {
  await server.close();
});

describe('three generators merged', () => {
  it('judge their thresholds alone as failed, and as passed once merged', () => {
    expect(exitCodes).toEqual([99, 99, 99]);
    expect(merged.thresholds.filter((t) => !t.ok)).toEqual([]);
    expect(merged.exitCode).toBe(0);
    expect(whole.exitCode).toBe(0);
    expect(merged.identity.segments).toEqual(SEGMENTS);
  });

  it('have the totals of one run of the whole test', () => {
    const m = merged.summary.metrics;
    const w = whole.summary?.metrics ?? {};
    for (const name of ['iterations', 'http_reqs', 'payload_bytes'] as const) {
      expect(m[name]?.values.count, name).toBe(w[name]?.values.count ?? -1);
    }
    expect(m.iterations?.values.count).toBe(ITERATIONS);
    expect(m['http_req_duration{kind:slow}']?.thresholds).toEqual({ 'max<5000': { ok: true } });
    expect(m.payload_bytes?.values.count).toBe((ITERATIONS * (ITERATIONS - 1)) / 2);
    expect(m.checks?.values).toMatchObject({ passes: w.checks?.values.passes, fails: w.checks?.values.fails });
    expect(merged.summary.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual(whole.summary?.root_group.checks.map((c) => [c.name, c.passes, c.fails]));
    expect(merged.summary.root_group.checks.find((c) => c.name === 'it odd')).toMatchObject({ passes: ITERATIONS / 2, fails: ITERATIONS / 2 });
  });

  it('have the percentiles of the whole test within HDR precision (merged, not averaged)', () => {
    const m = merged.summary.metrics.step?.values ?? {};
    const w = whole.summary?.metrics.step?.values ?? {};
    for (const stat of ['min', 'max', 'avg', 'med', 'p(90)', 'p(95)']) {
      expect(m[stat], stat).toBeCloseTo(w[stat] ?? Number.NaN, 0);
      expect(Math.abs((m[stat] ?? 0) - (w[stat] ?? 0)) / (w[stat] ?? 1), stat).toBeLessThan(0.01);
    }
    // The slow sub-metric (every third iteration) merged from all parts: only 20 ms requests.
    expect(merged.summary.metrics['http_req_duration{kind:slow}']?.values.min).toBeGreaterThanOrEqual(19);
    expect(merged.summary.metrics.http_req_duration?.values.min).toBeLessThan(20);
  });

  it('keep every console line once, for the operations log', () => {
    const its = merged.consoleLines.filter((l) => l.startsWith('op it=')).map((l) => Number(l.slice(6)));
    expect(its.sort((a, b) => a - b)).toEqual(Array.from({ length: ITERATIONS }, (_, i) => i));
    expect(merged.timeSeries.reduce((n, p) => n + p.iterations, 0)).toBe(ITERATIONS);
    expect(merged.text).toContain('iterations');
  });
});

describe('merge refuses parts that are not one whole test', () => {
  const refusal = (dirs: string[]): Promise<string> => mergePartials(dirs).then(() => 'merged', (err: unknown) => (err instanceof PartialMergeError ? err.problem : String(err)));

  it('a missing segment', async () => {
    expect(await refusal([parts[0] as string, parts[2] as string])).toBe('missing-segments');
    expect(await refusal([parts[0] as string, parts[1] as string])).toBe('missing-segments');
  });

  it('the same segment twice (a retried generator) and segments that overlap', async () => {
    const copy = join(partsRoot, 'copy-of-1');
    cpSync(parts[1] as string, copy, { recursive: true });
    expect(await refusal([...parts, copy])).toBe('overlapping-segments');
    const dir = mkdtempSync(join(tmpdir(), 'perf-lab-overlap-'));
    // No sequence given: each part's own segment is all it knows, so 0:1/2 and 1/3:1 can meet.
    for (const [i, segment] of ['0:1/2', '1/3:1'].entries()) {
      await run({ script, env: { BASE: server.url }, options: { executionSegment: segment }, out: [`partial=${join(dir, String(i))}`], noSummary: true });
    }
    expect(await refusal([join(dir, '0'), join(dir, '1')])).toBe('overlapping-segments');
  });

  it('parts of different tests (another script, other options, another sequence)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-lab-other-'));
    const other = writeScript(SCRIPT.replace("'status 200'", "'status is 200'")).path;
    const gen = (s: string, name: string, options: Record<string, string | number>): Promise<RunResult> =>
      run({ script: s, env: { BASE: server.url }, options: { executionSegment: '2/3:1', executionSegmentSequence: SEQUENCE, ...options }, out: [`partial=${join(dir, name)}`], noSummary: true });
    await gen(other, 'script', {});
    await gen(script, 'options', { summaryTimeUnit: 'ms' });
    await gen(script, 'sequence', { executionSegmentSequence: '0,1/3,2/3,5/6,1', executionSegment: '2/3:5/6' });
    for (const name of ['script', 'options', 'sequence']) {
      expect(await refusal([parts[0] as string, parts[1] as string, join(dir, name)]), name).toBe('different-tests');
    }
    expect(readFileSync(join(dir, 'script', 'partial.json'), 'utf8')).toContain('"segment":"2/3:1"');
  });

  it('a folder that holds no part', async () => {
    expect(await refusal([...parts.slice(0, 2), partsRoot])).toBe('unreadable');
  });
});
