import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullRun } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** The whole job through the library: a server configuration that breaks correctness is caught. */
describe('fullRun', () => {
  let db: TestDatabase;
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-full-run-'));

  beforeAll(async () => {
    db = await createTestDatabase('fullrun');
  });
  afterAll(async () => db?.drop());

  it('catches the deliberately broken naive strategy after a real load run', async () => {
    const result = await fullRun(db.config, {
      scenario: 'storm', profile: 'sequential', overrides: { vus: 10 }, settings: ['strategy=naive'],
      seedPlan: { users: 100, couponStock: 1000 }, runsDir, drainTimeoutMs: 30_000,
    });
    expect(result.run.results.systemErrors).toBe(0);
    expect(result.audit.verdict).toBe('violated');
    const dupes = result.audit.invariants.find((i) => i.name === 'coupon.no-duplicate-issuance');
    expect(dupes?.ok).toBe(false);
    expect(dupes?.violations).toBeGreaterThan(0);
    expect(dupes?.examples[0]).toMatch(/^coupon 1 user \d+ ×\d+$/);
    expect(readFileSync(result.reportFile, 'utf8')).toContain('**VIOLATED**');
    // naive keeps nothing in Redis: the Redis invariants do not apply rather than fail.
    const redisStock = result.audit.invariants.find((i) => i.name === 'coupon.redis-stock-matches-db');
    expect(redisStock).toMatchObject({ ok: true, skipped: 'the coupon strategy keeps no Redis state' });
  });
});
