import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, runScenario, seed, startReferenceServer, type AuditReport, type RunningServer } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * No false positives on clean runs against the real reference server: several runs on one
 * seed each audit ok, and a server started with settings is judged by them without being told.
 */
describe('audit on clean runs', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-clean-runs-'));
  const notOk = (report: AuditReport) => report.invariants.filter((i) => i.status !== 'ok' && i.status !== 'not-applicable');

  beforeAll(async () => {
    db = await createTestDatabase('clean');
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('coupon, then order, then storm on one seed: each run audits ok', async () => {
    server = await startReferenceServer(db.config, {}, { logFile: path.join(db.config.stateDir, 'server.log') });
    await seed(db.config, { plan: { users: 200, couponStock: 30, productStock: 10 } });
    for (const [scenario, overrides] of [['coupon', { scale: 0.04, vus: 5 }], ['order', { scale: 0.02 }], ['storm', { vus: 5 }]] as const) {
      const run = await runScenario(db.config, { scenario, profile: 'sequential', overrides, runsDir });
      const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 30_000 });
      expect({ scenario, notOk: notOk(report), reasons: report.reasons }).toEqual({ scenario, notOk: [], reasons: [] });
      expect(report.verdict).toBe('ok');
      expect(report.runStart).not.toBeNull();
    }
    await server.stop();
    server = undefined;
  });

  it('a db-only server: the run records its settings and the audit judges by them', async () => {
    server = await startReferenceServer(db.config, { REF_COUPON_STRATEGY: 'db-only' }, { logFile: path.join(db.config.stateDir, 'server.log') });
    await seed(db.config, { plan: { users: 200, couponStock: 10 } });
    // The seed primes Redis for the default strategy; a db-only server never touches it, so
    // after a run the Redis counters disagree with MySQL — which must not count against it.
    const run = await runScenario(db.config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir });
    expect(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8'))).toMatchObject({
      serverSettings: { REF_COUPON_STRATEGY: 'db-only' }, serverSettingsFrom: 'started by perf-lab',
    });
    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 30_000 });
    expect(notOk(report)).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(report.settings.described).toBe('REF_COUPON_STRATEGY=db-only (run record)');

    // A server perf-lab did not start (its record gone): the run asks the server, which names its strategy.
    rmSync(path.join(db.config.stateDir, 'server.json'));
    await seed(db.config, { plan: { users: 200, couponStock: 10 } });
    const external = await runScenario(db.config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir });
    expect(JSON.parse(readFileSync(path.join(external.runDir, 'run.json'), 'utf8'))).toMatchObject({
      serverSettings: { REF_COUPON_STRATEGY: 'db-only' }, serverSettingsFrom: 'reported by the server',
    });
    expect((await audit(db.config, { runDir: external.runDir, drainTimeoutMs: 30_000 })).verdict).toBe('ok');
  });

  it('db-only with the global order lock: storm then order on one seed, each audits ok', async () => {
    await server?.stop();
    server = await startReferenceServer(db.config, { REF_COUPON_STRATEGY: 'db-only', REF_LOCK_SCOPE: 'global' }, { logFile: path.join(db.config.stateDir, 'server.log') });
    await seed(db.config, { plan: { users: 200, couponStock: 30, productStock: 10 } });
    for (const [scenario, overrides] of [['storm', { vus: 5 }], ['order', { scale: 0.02 }]] as const) {
      const run = await runScenario(db.config, { scenario, profile: 'sequential', overrides, runsDir });
      const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 30_000 });
      expect({ scenario, notOk: notOk(report), reasons: report.reasons }).toEqual({ scenario, notOk: [], reasons: [] });
      expect(report.settings.described).toBe('REF_COUPON_STRATEGY=db-only, REF_LOCK_SCOPE=global (run record)');
    }
  });
});
