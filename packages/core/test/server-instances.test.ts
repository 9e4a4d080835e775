import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { couponIssueTopic } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  audit, ConfigError, managedServerInstances, PreflightError, parseFaults, runScenario, seed, startReferenceServer, stopReferenceServer, targetBaseUrls,
  type AuditReport, type RunningServer,
} from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * `serve --instances 3` for real: three server processes on ports of their own sharing one
 * database, Redis and Kafka; the order scenario's VUs spread over them; one instance killed
 * with -9 mid-run and restarted by the fault feature, and the audit still ok.
 */
describe('three reference-server instances', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-instances-runs-'));
  const notOk = (report: AuditReport) => report.invariants.filter((i) => i.status !== 'ok' && i.status !== 'not-applicable');

  beforeAll(async () => {
    db = await createTestDatabase('inst');
    server = await startReferenceServer(db.config, {}, { instances: 3, logFile: path.join(db.config.stateDir, 'server.log') });
    await seed(db.config, { plan: { users: 300, couponStock: 1000 } });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('start on three free ports, are recorded in the launch record, share the coupon topic in one group', async () => {
    expect(server!.urls).toHaveLength(3);
    expect(new Set(server!.urls).size).toBe(3);
    expect(server!.urls[0]).toBe(db.config.targetUrl);
    expect(new Set(server!.pids).size).toBe(3);
    for (const url of server!.urls) {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
    }
    expect(managedServerInstances(db.config).map((i) => [i.index, i.url, i.pid])).toEqual(server!.urls.map((u, i) => [i + 1, u, server!.pids[i]]));
    expect(targetBaseUrls(db.config)).toEqual(server!.urls);
    for (const i of [2, 3]) expect(existsSync(path.join(db.config.stateDir, `server-${i}.log`))).toBe(true);

    const kafka = new Kafka({ clientId: 'instances-test', brokers: [...db.config.kafka.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = couponIssueTopic(db.config.kafka.topicPrefix);
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(meta!.partitions.length).toBeGreaterThanOrEqual(3);
      // Each instance's consumer joins the one group: polled, since joining takes a rebalance.
      let members = 0;
      for (const until = Date.now() + 40_000; Date.now() < until && members < 3;) {
        const { groups } = await admin.describeGroups([db.config.kafka.consumerGroup]);
        members = groups[0]?.state === 'Stable' ? groups[0].members.length : 0;
        if (members < 3) await new Promise((r) => setTimeout(r, 500));
      }
      expect(members).toBe(3);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('refuses a fault on an instance that does not exist (a usage error, exit 2) before any load', async () => {
    const attempt = runScenario(db.config, { scenario: 'order', profile: 'load', runsDir, faults: parseFaults(['kill-server#4@1s']) });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/no server instance 4 — the server runs 3 instances \(server#1\.\.server#3\)/);
  });

  it('hot users over three instances, instance 2 killed -9 mid-run and restarted: its VUs see errors, the rest go on, the audit is ok', async () => {
    const killed = server!.pids[1];
    const run = await runScenario(db.config, {
      scenario: 'order', profile: 'load', overrides: { duration: '12s', vus: 12 }, hotUsers: 30, runsDir,
      faults: parseFaults(['kill-server#2@4s:2s']),
    });
    const record = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as {
      env: Record<string, string>; serverSettings: Record<string, string>; serverSettingsFrom: string;
    };
    expect(record.env['BASE_URLS']).toBe(server!.urls.join(','));
    // The server settings say outright how many instances served the run, and where.
    expect(record.serverSettingsFrom).toBe('started by perf-lab');
    expect(record.serverSettings).toMatchObject({ instances: '3', 'instance-urls': server!.urls.join(',') });
    expect(record.env['HOT_USERS']).toBe('30');

    const [fault] = run.faults;
    expect(fault).toMatchObject({ target: 'server', instance: 2, action: 'kill', outcome: 'recovered', pid: killed });
    const restarted = managedServerInstances(db.config)[1];
    expect(restarted?.pid).toBeDefined();
    expect(restarted?.pid).not.toBe(killed);
    expect(managedServerInstances(db.config)[0]?.pid).toBe(server!.pids[0]);

    // The killed instance's VUs failed (connection refused/reset: indeterminate), while in the
    // same seconds the other instances kept answering.
    const series = JSON.parse(readFileSync(path.join(run.runDir, 'timeseries.json'), 'utf8')) as {
      t: number; systemFailures: number; outcomes?: { success: Record<string, number>; business: Record<string, number> };
    }[];
    const answered = (p: (typeof series)[number]) => Object.values({ ...p.outcomes?.success }).concat(Object.values({ ...p.outcomes?.business })).reduce((a, b) => a + b, 0);
    expect(series.some((p) => p.systemFailures > 0 && answered(p) > 0)).toBe(true);
    expect(Object.values(run.outcomes.system).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // Many orders raced for the same 30 carts; each charged once at most.
    expect(run.results.successes).toBeGreaterThan(0);
    expect(run.results.successes).toBeLessThanOrEqual(30);

    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 60_000 });
    expect({ notOk: notOk(report), reasons: report.reasons }).toEqual({ notOk: [], reasons: [] });
    expect(report.verdict).toBe('ok');
  }, 90_000);

  it('pre-flight checks every instance: one that is down is named, and no load is sent', async () => {
    const third = managedServerInstances(db.config)[2]!;
    process.kill(third.pid!, 'SIGKILL');
    for (const until = Date.now() + 10_000; Date.now() < until && managedServerInstances(db.config)[2]?.pid !== undefined;) await new Promise((r) => setTimeout(r, 50));
    const attempt = runScenario(db.config, { scenario: 'order', profile: 'load', runsDir });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightError);
    // Named by its address (refused, or reset while its socket closes); the live two are not.
    const problems = (error as PreflightError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(new URL(third.url).host);
  }, 30_000);

  it('stop() drains every instance', async () => {
    await stopReferenceServer(db.config);
    server = undefined;
    expect(managedServerInstances(db.config).every((i) => i.pid === undefined)).toBe(true);
  });
});
