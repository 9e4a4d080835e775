/**
 * `--out experimental-prometheus-rw` against a real Prometheus (Debian package) that the lab
 * starts on a free port: a short engine run against a local HTTP server, then the samples
 * queried back with PromQL and compared with the run's own summary; then every panel query of
 * the Grafana dashboard in docs/ must return data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, type RunResult } from '@perf-lab/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labStatus, labUp, resolveConfig, type PerfLabConfig } from '../src/index.ts';
import { freePort } from './free-port.ts';

interface PromVector {
  metric: Record<string, string>;
  value: [number, string];
}

const TESTID = `prw-${process.pid}-${Date.now()}`;
const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('Prometheus remote-write output', () => {
  let config: PerfLabConfig;
  let target: http.Server;
  let result: RunResult;

  async function query(expr: string): Promise<PromVector[]> {
    const res = await fetch(`${config.prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { resultType: string; result: PromVector[] } };
    if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
    return body.data.result;
  }
  const total = async (expr: string): Promise<number> => (await query(expr)).reduce((n, v) => n + Number(v.value[1]), 0);

  beforeAll(async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-prometheus-'));
    config = await resolveConfig({ file: false, env: {}, flags: { stateDir, prometheusPort: await freePort() } });
    const events = await labUp(config, { only: [], with: ['prometheus'] });
    expect(events.map((e) => [e.service, e.action])).toEqual([['prometheus', 'started']]);

    target = http.createServer((req, res) => {
      const status = req.url?.includes('missing') ? 404 : 200;
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('ok'), 2);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;

    const script = path.join(mkdtempSync(path.join(tmpdir(), 'perf-lab-prw-script-')), 'script.js');
    writeFileSync(script, `
      import http from 'k6/http';
      import { check, sleep } from 'k6';
      export const options = { vus: 3, duration: '4s', tags: { testid: '${TESTID}' } };
      export default function () {
        const res = http.get('${base}/' + (__ITER % 4 === 3 ? 'missing' : 'home'), { tags: { name: 'page' } });
        check(res, { 'is 200': (r) => r.status === 200 });
        sleep(0.1);
      }`);
    result = await run({
      script,
      out: ['experimental-prometheus-rw'],
      outputEnv: {
        K6_PROMETHEUS_RW_SERVER_URL: config.prometheus.remoteWriteUrl,
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
        K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),avg,min,max,count',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
    if (config) await labDown(config, { wipe: true });
  });

  it('is started by the lab on 127.0.0.1 and listed by status while it runs', async () => {
    const status = (await labStatus(config)).find((s) => s.name === 'prometheus');
    expect(status).toMatchObject({ ok: true, mode: 'managed', address: `127.0.0.1:${config.prometheus.port}` });
    expect(status?.version).toMatch(/^\d+\.\d+/);
  });

  it('holds every request, iteration and check under k6’s metric names', async () => {
    expect(result.exitCode).toBe(0);
    const m = result.summary?.metrics;
    const reqs = m?.http_reqs?.values.count ?? -1;
    expect(reqs).toBeGreaterThan(20);
    const sel = `{testid="${TESTID}"}`;
    expect(await total(`k6_http_reqs_total${sel}`)).toBe(reqs);
    expect(await total(`k6_iterations_total${sel}`)).toBe(m?.iterations?.values.count);
    const notFound = await total(`k6_http_reqs_total{testid="${TESTID}",status="404"}`);
    expect(notFound).toBeGreaterThan(0);
    expect(notFound).toBeLessThan(reqs);
    // One trend, one series per stat; time values in seconds.
    const p99 = await query(`k6_http_req_duration_p99${sel}`);
    expect(p99.length).toBeGreaterThan(0);
    for (const v of p99) {
      expect(Number(v.value[1])).toBeGreaterThan(0);
      expect(Number(v.value[1])).toBeLessThanOrEqual((m?.http_req_duration?.values.max ?? 0) / 1000);
      expect(v.metric).toMatchObject({ method: 'GET', name: 'page', scenario: 'default' });
    }
    expect(await total(`k6_http_req_duration_count${sel}`)).toBe(reqs);
    expect(await total(`k6_http_req_duration_min${sel}`)).toBeGreaterThan(0);
    const checks = await query(`k6_checks_rate${sel}`);
    expect(checks).toHaveLength(1);
    expect(Number(checks[0]?.value[1])).toBeCloseTo(m?.checks?.values.rate ?? -1, 6);
    expect((await query(`k6_vus${sel}`)).length).toBe(1);
  });

  it('feeds every panel of the Grafana dashboard in docs/', async () => {
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'docs/grafana-dashboard-k6-prometheus.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of dashboard.panels) {
      for (const t of panel.targets) {
        const expr = t.expr.replaceAll('$testid', TESTID).replaceAll('$__rate_interval', '1m');
        const series = await query(expr);
        expect(series.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        expect(series.some((s) => Number.isFinite(Number(s.value[1]))), panel.title).toBe(true);
      }
    }
  });
});
