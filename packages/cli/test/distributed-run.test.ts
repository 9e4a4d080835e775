/**
 * `perf-lab run --segment` on two generators, `merge`, then `audit` of the merged run folder:
 * the coupon test split in two gives the totals of the whole test, and the one operations log
 * lets the audit check every acknowledged operation against the real databases.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '@perf-lab/core';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

describe('perf-lab run --segment | merge | audit', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase('distrib');
    env = envOf(db.config);
    server = await startReferenceServer(db.config, {}, { logFile: path.join(db.config.stateDir, 'server.log') });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('two generators merged: the whole test\'s requests and acceptances, and an audit that passes', async () => {
    expect((await runCli(['seed', '--users', '300', '--coupon-stock', '10'], env)).code).toBe(0);
    const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-distrib-'));
    const generators = await Promise.all(['0/2', '1/2'].map((segment) =>
      runCli(['run', 'coupon', '--scale', '0.04', '--vus', '5', '--segment', segment, '--runs-dir', path.join(runsDir, 'parts'), '--json'], env)));
    const parts = generators.map((g) => {
      expect(g.stderr).not.toMatch(/perf-lab: /);
      return (JSON.parse(g.stdout) as { runDir: string; requests: number }).runDir;
    });
    expect(parts.map((p) => path.basename(p))).toEqual([expect.stringMatching(/-part-0-of-2$/), expect.stringMatching(/-part-1-of-2$/)]);
    const merged = await runCli(['merge', ...parts, '--runs-dir', runsDir, '--json'], env);
    expect(merged.stderr).toBe('');
    const out = JSON.parse(merged.stdout) as { runDir: string; requests: number; accepted: number };
    // The same figures as one run of the whole test (run-command.test.ts): 50 requests, 10 coupons.
    expect(out).toMatchObject({ requests: 50, accepted: 10 });
    const record = JSON.parse(readFileSync(path.join(out.runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ scenario: 'coupon', profile: 'sequential', distributed: { segments: ['0:1/2', '1/2:1'], sequence: '0,1/2,1' } });
    expect(record['segment']).toBeUndefined();
    // Every iteration of the sequential profile ran to its end: no part cut a request off.
    expect(record['interruptedInFlight']).toBe(0);
    const audit = await runCli(['audit', '--run', out.runDir, '--json'], env);
    expect(audit.code, audit.stderr).toBe(0);
    const result = JSON.parse(audit.stdout) as { operations: { lines: number; missing: number } };
    expect(result.operations).toMatchObject({ lines: 50, missing: 0 });
    expect(merged.code).toBe(0);
  }, 240_000);
});
