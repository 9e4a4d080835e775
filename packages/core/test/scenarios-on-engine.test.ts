import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, runScenario, seed, startReferenceServer, type RunningServer } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * Each scenario bundle, run on the embedded engine against the real reference server with a
 * tiny profile: the summary's counts must match what the data allows.
 */
describe('scenarios on the embedded engine', () => {
  let db: TestDatabase;
  let server: RunningServer;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-scenario-runs-'));

  beforeAll(async () => {
    db = await createTestDatabase('scen');
    server = await startReferenceServer(db.config, {}, { logFile: path.join(db.config.stateDir, 'server.log') });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('coupon: stock 10, 50 distinct users → exactly 10 accepted and 40 sold out; audit ok', async () => {
    await seed(db.config, { plan: { users: 200, couponStock: 10 } });
    const run = await runScenario(db.config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir });
    expect(run.results).toMatchObject({ requests: 50, successes: 10, businessFailures: 40, systemErrors: 0, businessByReason: { COUPON_SOLD_OUT: 40 } });
    expect(run.thresholdsPassed).toBe(true);
    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 30_000 });
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.verdict).toBe('ok');
  });

  it('coupon on undici (--http-client undici): the same counts, recorded in run.json (and no request cut off)', async () => {
    await seed(db.config, { plan: { users: 200, couponStock: 10 } });
    const run = await runScenario(db.config, { scenario: 'coupon', profile: 'sequential', overrides: { scale: 0.04, vus: 5 }, runsDir, httpClient: 'undici' });
    expect(run.results).toMatchObject({ requests: 50, successes: 10, businessFailures: 40, systemErrors: 0 });
    expect(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8'))).toMatchObject({ engine: 'embedded', httpClient: 'undici', interruptedInFlight: 0 });
    // k6 brings its own client: asking for both is refused before anything runs.
    await expect(runScenario(db.config, { scenario: 'coupon', profile: 'sequential', runsDir, engine: 'k6', httpClient: 'undici' })).rejects.toThrow(/--http-client.*--engine k6/);
  });

  it('order: stock for 5 orders, 20 users in turn → exactly 5 paid and 15 refused for stock; audit ok', async () => {
    await seed(db.config, { plan: { users: 100, productStock: 10 } });
    const run = await runScenario(db.config, { scenario: 'order', profile: 'sequential', overrides: { scale: 0.02 }, runsDir });
    expect(run.results).toMatchObject({ requests: 20, successes: 5, businessFailures: 15, systemErrors: 0, businessByReason: { INSUFFICIENT_STOCK: 15 } });
    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 30_000 });
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.verdict).toBe('ok');
  });

  it('storm: many VUs on the same 20 users → at most one coupon each, no system failure; audit ok', async () => {
    await seed(db.config, { plan: { users: 100, couponStock: 1000 } });
    const run = await runScenario(db.config, { scenario: 'storm', profile: 'sequential', overrides: { vus: 10 }, runsDir });
    expect(run.results.systemErrors).toBe(0);
    expect(run.results.requests).toBeGreaterThan(300);
    expect(run.results.businessByReason['COUPON_ALREADY_ISSUED']).toBeGreaterThan(0);
    const report = await audit(db.config, { runDir: run.runDir, drainTimeoutMs: 30_000 });
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
  });
});
