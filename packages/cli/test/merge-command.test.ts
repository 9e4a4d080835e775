/**
 * `perf-lab merge`: two `perf-lab k6 run --execution-segment … --out partial=DIR` generators joined
 * into one run folder that `report` reads; parts that are not one whole test exit 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../engine/test/helpers/test-server.ts';
import { runCli } from './run-cli.ts';

const ITERATIONS = 40;
let server: TestServer;
let dir: string;
let parts: string[];

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'perf-lab-merge-'));
  const script = path.join(dir, 'script.js');
  writeFileSync(script, `
    import http from 'k6/http';
    import { check } from 'k6';
    import exec from 'k6/execution';
    export const options = {
      scenarios: { all: { executor: 'shared-iterations', vus: 4, iterations: ${ITERATIONS} } },
      thresholds: { iterations: ['count==${ITERATIONS}'] },
    };
    export default async function () {
      const res = await http.asyncRequest('GET', __ENV.BASE + '/?delay=5');
      check(res, { ok: (r) => r.status === 200 });
      console.log('perf-lab-op ' + JSON.stringify({ it: exec.scenario.iterationInTest }));
    }`);
  parts = ['0', '1'].map((i) => path.join(dir, `part-${i}`));
  const generators = ['0:1/2', '1/2:1'].map((segment, i) =>
    runCli(['k6', 'run', '--quiet', '--execution-segment', segment, '--execution-segment-sequence', '0,1/2,1', '--out', `partial=${parts[i]}`, '-e', `BASE=${server.url}`, script]));
  const codes = (await Promise.all(generators)).map((r) => r.code);
  // Alone, each half fails `count==40`: thresholds are for the merged test.
  expect(codes).toEqual([99, 99]);
}, 120_000);
afterAll(async () => {
  await server.close();
});

describe('perf-lab merge', () => {
  it('writes one run folder with the whole test\'s summary and operations log, that report reads', async () => {
    const runsDir = path.join(dir, 'runs');
    const cli = await runCli(['merge', ...parts, '--runs-dir', runsDir, '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const out = JSON.parse(cli.stdout) as { runDir: string; parts: number; requests: number; thresholdsPassed: boolean };
    expect(out).toMatchObject({ parts: 2, requests: ITERATIONS, thresholdsPassed: true });
    const summary = JSON.parse(readFileSync(path.join(out.runDir, 'summary.json'), 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
    expect(summary.metrics.iterations?.values.count).toBe(ITERATIONS);
    expect(summary.metrics.checks?.values.passes).toBe(ITERATIONS);
    const ops = readFileSync(path.join(out.runDir, 'operations.log'), 'utf8').trim().split('\n');
    expect(ops.map((l) => (JSON.parse(l.slice('perf-lab-op '.length)) as { it: number }).it).sort((a, b) => a - b)).toEqual(Array.from({ length: ITERATIONS }, (_, i) => i));
    const record = JSON.parse(readFileSync(path.join(out.runDir, 'run.json'), 'utf8')) as { distributed: { segments: string[] }; exitCode: number };
    expect(record).toMatchObject({ exitCode: 0, distributed: { segments: ['0:1/2', '1/2:1'] } });
    const report = await runCli(['report', '--run', out.runDir]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    expect(readFileSync(path.join(out.runDir, 'report.md'), 'utf8')).toContain('req/s');
  });

  it('exits 2 naming the problem when a segment is missing or given twice', async () => {
    const missing = await runCli(['merge', parts[0] as string, '--runs-dir', path.join(dir, 'no')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing-segments');
    expect(missing.stderr).toContain('1/2:1');
    const twice = await runCli(['merge', ...parts, parts[1] as string, '--runs-dir', path.join(dir, 'no')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('overlapping-segments');
  });
});
