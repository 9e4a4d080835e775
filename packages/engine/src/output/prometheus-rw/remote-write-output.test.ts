/** The remote-write output's mapping to k6's series names, pushed to a local HTTP receiver and decoded. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricRegistry } from '../../metrics/registry.ts';
import { remoteWriteConfig, trendStat } from './remote-write-config.ts';
import { RemoteWriteOutput } from './remote-write-output.ts';
import { decodeWriteRequest, type PromSeries } from './write-request.ts';

let server: http.Server;
let url = '';
const received: Array<{ headers: http.IncomingHttpHeaders; series: PromSeries[] }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, series: decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nameOf = (s: PromSeries): string => s.labels.find((l) => l.name === '__name__')?.value ?? '';

describe('remote-write config', () => {
  it('maps trend stats to k6’s suffixes and refuses unknown ones', () => {
    expect(['p(99)', 'p(99.9)', 'p(95)', 'avg', 'med', 'count', 'sum'].map((s) => trendStat(s).suffix)).toEqual(['p99', 'p999', 'p95', 'avg', 'med', 'count', 'sum']);
    expect(() => trendStat('p95')).toThrow(/unknown trend stat "p95"/);
    const c = remoteWriteConfig({});
    expect(c).toMatchObject({ url: 'http://localhost:9090/api/v1/write', pushIntervalMs: 5000 });
    expect(c.trendStats.map((t) => t.suffix)).toEqual(['p99']);
    expect(() => remoteWriteConfig({ K6_PROMETHEUS_RW_SERVER_URL: 'nowhere' })).toThrow(/not a URL/);
    expect(remoteWriteConfig({ K6_PROMETHEUS_RW_HEADERS_X_Team: 'a' }).headers).toEqual({ X_Team: 'a' });
  });
});

describe('remote-write output', () => {
  it('pushes k6’s series names with running values, time trends in seconds', async () => {
    const registry = new MetricRegistry();
    const reqs = registry.define('http_reqs', 'counter');
    const duration = registry.define('http_req_duration', 'trend', 'time');
    const failed = registry.define('http_req_failed', 'rate');
    const vus = registry.define('vus', 'gauge');
    const logs: string[] = [];
    const out = new RemoteWriteOutput(remoteWriteConfig({ K6_PROMETHEUS_RW_SERVER_URL: url, K6_PROMETHEUS_RW_PUSH_INTERVAL: '1h', K6_PROMETHEUS_RW_TREND_STATS: 'p(99),avg,count' }), (_l, m) => logs.push(m));
    out.attach(registry);
    const tags = { method: 'GET', status: '200', 'bad-name': 'x' };
    for (const v of [10, 20, 30]) {
      reqs.add(1, tags);
      duration.add(v, tags);
      failed.add(v === 30 ? 1 : 0, tags);
    }
    vus.add(3, {});
    vus.add(5, {});
    await out.close();
    expect(logs).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers).toMatchObject({ 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf', 'x-prometheus-remote-write-version': '0.1.0' });
    const byName = new Map(received[0]?.series.map((s) => [nameOf(s), s]));
    expect([...byName.keys()].sort()).toEqual(['k6_http_req_duration_avg', 'k6_http_req_duration_count', 'k6_http_req_duration_p99', 'k6_http_req_failed_rate', 'k6_http_reqs_total', 'k6_vus']);
    const value = (n: string): number => byName.get(n)?.samples[0]?.value ?? Number.NaN;
    expect(value('k6_http_reqs_total')).toBe(3);
    expect(value('k6_http_req_duration_avg')).toBeCloseTo(0.02, 9);
    expect(value('k6_http_req_duration_p99')).toBeCloseTo(0.0298, 6);
    expect(value('k6_http_req_duration_count')).toBe(3);
    expect(value('k6_http_req_failed_rate')).toBeCloseTo(1 / 3, 9);
    expect(value('k6_vus')).toBe(5);
    const labels = byName.get('k6_http_reqs_total')?.labels ?? [];
    expect(labels.map((l) => l.name)).toEqual(['__name__', 'bad_name', 'method', 'status']);
    expect(byName.get('k6_http_reqs_total')?.samples[0]?.timestamp).toBeGreaterThan(Date.now() - 10_000);
  });

  it('logs a refused push instead of failing the run', async () => {
    const registry = new MetricRegistry();
    const logs: string[] = [];
    const out = new RemoteWriteOutput(remoteWriteConfig({ K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:1/api/v1/write' }), (_l, m) => logs.push(m));
    registry.define('late', 'counter');
    out.attach(registry);
    registry.get('late')?.add(1, {});
    await out.close();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/Prometheus remote write to http:\/\/127\.0\.0\.1:1\/api\/v1\/write failed \(1 samples\)/);
  });
});
