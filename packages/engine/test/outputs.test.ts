/**
 * `--out json=` and `--out csv=` write every sample in k6's formats: real runs against the local
 * test server, the files parsed back and compared with the run's own summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.ts';
import { CSV_HEADER } from '../src/output/csv-output.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { writeScript } from './helpers/script-file.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const SCRIPT = `
  import http from 'k6/http';
  import { check, group } from 'k6';
  import { Counter } from 'k6/metrics';
  const orders = new Counter('orders_placed');
  export const options = {
    vus: 2,
    iterations: 7,
    tags: { team: 'shop' },
    thresholds: { http_req_duration: ['p(95)<5000', 'avg<4000'], 'http_req_duration{status:404}': ['max<5000'] },
  };
  export default function () {
    group('browse', () => {
      const res = http.get(__ENV.BASE + '/?status=' + (__ITER % 3 === 0 ? 404 : 200), { tags: { name: 'home, "quoted"' } });
      check(res, { 'is 200': (r) => r.status === 200 });
    });
    orders.add(2, { kind: 'web' });
  }`;

interface JsonLine {
  type: 'Metric' | 'Point';
  metric: string;
  data: { name?: string; type?: string; contains?: string; thresholds?: string[]; submetrics?: Array<{ name: string; suffix: string; tags: Record<string, string> }> | null; time?: string; value?: number; tags?: Record<string, string> };
}

describe('--out json (per sample, k6 format)', () => {
  it('writes one Point per sample after its metric’s Metric line', async () => {
    const { path, dir } = writeScript(SCRIPT);
    const out = join(dir, 'points.json');
    const r = await run({ script: path, env: { BASE: server.url }, out: [`json=${out}`] });
    expect(r.exitCode).toBe(0);
    expect(r.files).toContain(out);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonLine);
    const m = r.summary?.metrics;

    const points = (name: string): JsonLine[] => lines.filter((l) => l.type === 'Point' && l.metric === name);
    expect(points('http_reqs').length).toBe(m?.http_reqs?.values.count);
    expect(points('http_reqs').length).toBe(7);
    expect(points('http_req_duration').length).toBe(7);
    expect(points('iterations').length).toBe(7);
    expect(points('checks').length).toBe(7);
    expect(points('checks').filter((p) => p.data.value === 1).length).toBe(m?.checks?.values.passes);
    expect(points('orders_placed').reduce((n, p) => n + (p.data.value ?? 0), 0)).toBe(14);
    const durations = points('http_req_duration').map((p) => p.data.value ?? -1);
    expect(Math.max(...durations)).toBeCloseTo(m?.http_req_duration?.values.max ?? -1, 6);

    // Each metric is declared once, before its first Point, with thresholds and sub-metrics.
    for (const name of new Set(lines.map((l) => l.metric))) {
      const first = lines.findIndex((l) => l.metric === name);
      expect(lines[first]?.type).toBe('Metric');
      expect(lines.filter((l) => l.type === 'Metric' && l.metric === name)).toHaveLength(1);
    }
    const decl = lines.find((l) => l.type === 'Metric' && l.metric === 'http_req_duration');
    expect(decl?.data).toMatchObject({ name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['p(95)<5000', 'avg<4000'] });
    expect(decl?.data.submetrics).toEqual(expect.arrayContaining([{ name: 'http_req_duration{status:404}', suffix: 'status:404', tags: { status: '404' } }]));
    expect(lines.find((l) => l.type === 'Metric' && l.metric === 'orders_placed')?.data).toEqual({ name: 'orders_placed', type: 'counter', contains: 'default', thresholds: [], submetrics: null });

    const req = points('http_reqs')[0];
    expect(Object.keys(req?.data ?? {})).toEqual(['time', 'value', 'tags']);
    expect(req?.data.tags).toMatchObject({ method: 'GET', group: '::browse', name: 'home, "quoted"', scenario: 'default', team: 'shop', proto: 'HTTP/1.1' });
    expect(Date.parse(req?.data.time ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(points('http_reqs').filter((p) => p.data.tags?.status === '404')).toHaveLength(3);
  });

  it('writes the same lines from worker processes, each metric declared once', async () => {
    const { path, dir } = writeScript(SCRIPT);
    const out = join(dir, 'workers.json');
    const r = await run({ script: path, env: { BASE: server.url }, out: [`json=${out}`], workers: 2 });
    expect(r.exitCode).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonLine);
    expect(lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs')).toHaveLength(7);
    expect(lines.filter((l) => l.type === 'Metric' && l.metric === 'http_reqs')).toHaveLength(1);
  });
});

describe('--out files that cannot be written', () => {
  it('stop the run before it starts (104), naming the file', async () => {
    const { path, dir } = writeScript(`export default function () {}`);
    const out = join(dir, 'no-such-folder', 'points.json');
    const r = await run({ script: path, out: [`json=${out}`] });
    expect(r.exitCode).toBe(104);
    expect(r.error).toContain(`--out: cannot write ${out}: ENOENT`);
  });
});

describe('--out csv (per sample, k6 format)', () => {
  it('writes k6’s header and one row per sample, quoting as Go’s encoding/csv', async () => {
    const { path, dir } = writeScript(SCRIPT);
    const out = join(dir, 'samples.csv');
    const r = await run({ script: path, env: { BASE: server.url }, out: [`csv=${out}`, `json-aggregate=${join(dir, 'agg.json')}`] });
    expect(r.exitCode).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe(
      'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata',
    );
    expect(header?.split(',')).toEqual([...CSV_HEADER]);
    const parsed = rows.map(parseCsvRow);
    const col = (name: string): number => CSV_HEADER.indexOf(name as (typeof CSV_HEADER)[number]);
    const reqs = parsed.filter((c) => c[0] === 'http_reqs');
    expect(reqs).toHaveLength(r.summary?.metrics.http_reqs?.values.count ?? -1);
    for (const c of parsed) expect(c).toHaveLength(CSV_HEADER.length);
    const first = reqs[0] ?? [];
    expect(first[col('metric_value')]).toBe('1.000000');
    expect(Number(first[col('timestamp')])).toBeCloseTo(Date.now() / 1000, -2);
    expect(first[col('method')]).toBe('GET');
    expect(first[col('name')]).toBe('home, "quoted"');
    expect(first[col('group')]).toBe('::browse');
    expect(first[col('url')]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?status=/);
    expect(first[col('extra_tags')]).toBe('team=shop');
    expect(first[col('metadata')]).toBe('');
    expect(reqs.filter((c) => c[col('status')] === '404')).toHaveLength(3);
    const orders = parsed.filter((c) => c[0] === 'orders_placed');
    expect(orders.map((c) => c[col('extra_tags')])).toEqual(Array(7).fill('kind=web&team=shop'));
  });
});

/** A CSV row as RFC 4180 reads it (quoted fields with doubled quotes). */
function parseCsvRow(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      cells.push(v);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}
