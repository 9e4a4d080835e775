/**
 * `--out experimental-prometheus-rw` against a real Prometheus (Debian package) that
 * `perf-lab up --with prometheus` starts on a free port (never 9090, where a system
 * Prometheus may run): a short `perf-lab k6 run` against a local HTTP server, as README shows
 * it, then the samples queried back with PromQL and compared with the run's own summary
 * export; then every panel query of the Grafana dashboard in docs/ must return data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../cli/test/run-cli.ts';
import { labStatus, resolveConfig, type PerfLabConfig } from '../src/index.ts';
import { freePort } from './free-port.ts';
import { envOf } from './private-lab.ts';

interface PromVector {
  metric: Record<string, string>;
  value: [number, string];
}

const TESTID = `prw-${process.pid}-${Date.now()}`;
const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('Prometheus remote-write output', () => {
  let config: PerfLabConfig;
  let env: Record<string, string>;
  let target: http.Server;
  let result: CliResult;
  /** k6's --summary-export: flat values per metric, rates as {passes, fails, value}. */
  let m: Record<string, Record<string, number>>;

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
    // The shared lab's MySQL, Redis and Kafka as external services: only Prometheus starts here.
    env = { ...envOf(await resolveConfig({ file: false })), PERF_LAB_MANAGE: '', PERF_LAB_STATE_DIR: stateDir, PERF_LAB_PROMETHEUS_PORT: String(config.prometheus.port) };
    const up = await runCli(['up', '--with', 'prometheus', '--json'], env);
    expect(up.code, up.stderr).toBe(0);
    const events = (JSON.parse(up.stdout) as { services: { service: string; action: string }[] }).services;
    expect(events.filter((e) => e.action !== 'external-ok').map((e) => [e.service, e.action])).toEqual([['prometheus', 'started']]);

    target = http.createServer((req, res) => {
      const status = req.url?.includes('missing') ? 404 : 200;
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('ok'), 2);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;

    const work = mkdtempSync(path.join(tmpdir(), 'perf-lab-prw-script-'));
    const script = path.join(work, 'script.js');
    writeFileSync(script, `
      import http from 'k6/http';
      import { check, sleep } from 'k6';
      export const options = { vus: 3, duration: '4s' };
      export default function () {
        const res = http.get('${base}/' + (__ITER % 4 === 3 ? 'missing' : 'home'), { tags: { name: 'page' } });
        check(res, { 'is 200': (r) => r.status === 200 });
        sleep(0.1);
      }`);
    const exported = path.join(work, 'summary.json');
    result = await runCli(['k6', 'run', '-q', '--tag', `testid=${TESTID}`, '-o', 'experimental-prometheus-rw', '--summary-export', exported, script], {
      K6_PROMETHEUS_RW_SERVER_URL: config.prometheus.remoteWriteUrl,
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
      K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),avg,min,max,count',
    });
    expect(result.code, result.stderr).toBe(0);
    m = (JSON.parse(readFileSync(exported, 'utf8')) as { metrics: typeof m }).metrics;
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
    if (env) {
      const down = await runCli(['down', '--wipe'], env);
      expect(down.code, down.stderr).toBe(0);
    }
  });

  it('is started by the lab on 127.0.0.1 and listed by status while it runs', async () => {
    const status = (await labStatus(config)).find((s) => s.name === 'prometheus');
    expect(status).toMatchObject({ ok: true, mode: 'managed', address: `127.0.0.1:${config.prometheus.port}` });
    expect(status?.version).toMatch(/^\d+\.\d+/);
    // Ours, not a system Prometheus (Debian's package starts one on 9090 where systemd runs, as on a
    // CI runner): the one answering runs with the lab's own config, TSDB and port.
    expect(config.prometheus.port).not.toBe(9090);
    const flags = (await (await fetch(`${config.prometheus.url}/api/v1/status/flags`)).json()) as { data: Record<string, string> };
    expect(flags.data).toMatchObject({
      'config.file': path.join(config.stateDir, 'prometheus', 'prometheus.yml'),
      'storage.tsdb.path': path.join(config.stateDir, 'prometheus', 'data'),
      'web.listen-address': `127.0.0.1:${config.prometheus.port}`,
    });
  });

  it('holds every request, iteration and check under k6’s metric names', async () => {
    const reqs = m['http_reqs']?.['count'] ?? -1;
    expect(reqs).toBeGreaterThan(20);
    const sel = `{testid="${TESTID}"}`;
    expect(await total(`k6_http_reqs_total${sel}`)).toBe(reqs);
    expect(await total(`k6_iterations_total${sel}`)).toBe(m['iterations']?.['count']);
    const notFound = await total(`k6_http_reqs_total{testid="${TESTID}",status="404"}`);
    expect(notFound).toBeGreaterThan(0);
    expect(notFound).toBeLessThan(reqs);
    // One trend, one series per stat; time values in seconds.
    const p99 = await query(`k6_http_req_duration_p99${sel}`);
    expect(p99.length).toBeGreaterThan(0);
    for (const v of p99) {
      expect(Number(v.value[1])).toBeGreaterThan(0);
      expect(Number(v.value[1])).toBeLessThanOrEqual((m['http_req_duration']?.['max'] ?? 0) / 1000);
      expect(v.metric).toMatchObject({ method: 'GET', name: 'page', scenario: 'default' });
    }
    expect(await total(`k6_http_req_duration_count${sel}`)).toBe(reqs);
    expect(await total(`k6_http_req_duration_min${sel}`)).toBeGreaterThan(0);
    const checks = await query(`k6_checks_rate${sel}`);
    expect(checks).toHaveLength(1);
    expect(Number(checks[0]?.value[1])).toBeCloseTo(m['checks']?.['value'] ?? -1, 6);
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
