/** The CLI: k6 flag names, summary on stdout, exit codes. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bin run', () => {
  it('takes k6 flags, prints the summary and exits 99 when a threshold fails', async () => {
    const { path, dir } = writeScript(`
      import http from 'k6/http';
      export const options = { thresholds: { http_reqs: ['count>1000'] } };
      export default async function () {
        await http.asyncRequest('GET', __ENV.BASE + '/?who=' + __ENV.WHO);
        console.log('hello from', __VU);
      }`);
    const r = await cli(['run', '-u', '2', '-i', '5', '-e', `BASE=${server.url}`, '--env', 'WHO=cli', '--summary-export', 'export.json', '--out', 'json=points.json', '--http-client', 'undici', path], dir);
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/✗ 'count>1000'/);
    expect(r.stdout).toMatch(/iterations\.+: 5 /);
    expect(r.stderr).toMatch(/INFO\[\d+\] hello from \d source=console/);
    expect(JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8')).metrics.iterations.count).toBe(5);
    // k6's per-sample lines: one http_reqs Point per request.
    expect(readFileSync(join(dir, 'points.json'), 'utf8').match(/"type":"Point","data":\{[^\n]*"metric":"http_reqs"/g)).toHaveLength(5);
  });

  it('exits 104 on an output it does not write or a bad output setting, before the test starts', async () => {
    const { path, dir } = writeScript(`export default function () {}`);
    const influx = await cli(['run', '--out', 'influxdb=http://127.0.0.1:8086', path], dir);
    expect(influx.code).toBe(104);
    expect(influx.stderr).toMatch(/unsupported output "influxdb": the engine writes json, json-aggregate, csv, experimental-prometheus-rw/);
    const stats = await cli(['run', '-o', 'experimental-prometheus-rw', path], dir, { K6_PROMETHEUS_RW_TREND_STATS: 'p99' });
    expect(stats.code).toBe(104);
    expect(stats.stderr).toMatch(/K6_PROMETHEUS_RW_TREND_STATS: unknown trend stat "p99"/);
    const workers = await cli(['run', '--workers', '2', '-o', 'experimental-prometheus-rw', path], dir);
    expect(workers.code).toBe(104);
    expect(workers.stderr).toMatch(/workers and --out experimental-prometheus-rw cannot be combined/);
  });

  it('exits 104 on a bad flag, with a message', async () => {
    const r = await cli(['run', '--vus', 'many', 'x.js'], process.cwd());
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/--vus expects a non-negative integer/);
    const client = await cli(['run', '--http-client', 'h2', 'x.js'], process.cwd());
    expect(client.code).toBe(104);
    expect(client.stderr).toMatch(/--http-client expects http1 or undici, got "h2"/);
  });
});
