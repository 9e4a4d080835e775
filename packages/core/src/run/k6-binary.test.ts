import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { executeK6 } from './execute-k6.ts';
import { k6CommandLine, timeSeriesFromK6Json } from './k6-binary.ts';

describe('running on a user-installed k6', () => {
  it('builds the k6 command line with -e pairs, console output and json out', () => {
    expect(k6CommandLine({
      binary: '/opt/k6', script: 'dist/coupon.js', env: { BASE_URL: 'http://127.0.0.1:18080', PROFILE: 'peak' },
      consoleOutput: 'run/operations.log', jsonOut: 'run/samples.json',
    })).toEqual([
      '/opt/k6', 'run', '--quiet', '-e', 'BASE_URL=http://127.0.0.1:18080', '-e', 'PROFILE=peak',
      '--console-output', 'run/operations.log', '--out', 'json=run/samples.json', 'dist/coupon.js',
    ]);
  });

  it('turns k6 --out json points into per-second buckets', () => {
    const point = (metric: string, time: string, value: number) =>
      JSON.stringify({ type: 'Point', metric, data: { time, value, tags: {} } });
    const series = timeSeriesFromK6Json([
      JSON.stringify({ type: 'Metric', metric: 'http_reqs', data: { type: 'counter' } }),
      point('vus', '2026-11-25T12:00:00.000Z', 3),
      ...Array.from({ length: 20 }, (_, i) => point('http_reqs', `2026-11-25T12:00:00.${String(100 + i * 10)}Z`, 1)),
      ...Array.from({ length: 20 }, (_, i) => point('http_req_duration', `2026-11-25T12:00:00.${String(100 + i * 10)}Z`, i + 1)),
      point('http_req_failed', '2026-11-25T12:00:00.500Z', 1),
      point('http_reqs', '2026-11-25T12:00:02.100Z', 1),
      'not json',
    ]);
    expect(series).toEqual([
      { t: 1, requests: 20, p95Ms: 19, vus: 3, systemFailures: 1 },
      { t: 2, requests: 0, p95Ms: null, vus: 3, systemFailures: 0 },
      { t: 3, requests: 1, p95Ms: null, vus: 3, systemFailures: 0 },
    ]);
  });

  it('names a missing k6 binary and what to do instead', async () => {
    const runDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-k6-'));
    const error = await executeK6({ script: 'x.js', env: {}, runDir, operationsFile: path.join(runDir, 'ops.log'), progress: () => undefined }, path.join(runDir, 'no-k6-here'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/k6 binary ".*no-k6-here" not found — install k6 yourself/);
  });
});
