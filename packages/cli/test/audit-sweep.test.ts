import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_SCOPES, SCENARIO_NAMES } from '@perf-lab/contract';
import { labEnvironment } from '@perf-lab/core';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { CORRECT_STRATEGIES, sweepSubset } from '../bench/audit-sweep-plan.ts';
import { runSweepCell } from '../bench/audit-sweep-cell.ts';

/**
 * The bounded audit sweep (the whole one is `npm run bench:audit-sweep`): through the real
 * `perf-lab` binary, servers started by `serve --set strategy=… --set lock=…` covering every
 * coupon strategy that claims correctness and every lock scope, every scenario run in turn on
 * one seed and audited after each run — every verdict ok, no false positive.
 */
describe('audit sweep (bounded): clean runs audit ok', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('sweep');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('covers every correct strategy and every lock scope', () => {
    const cells = sweepSubset();
    expect(new Set(cells.map((c) => c.strategy))).toEqual(new Set(CORRECT_STRATEGIES));
    expect(new Set(cells.map((c) => c.lock))).toEqual(new Set(LOCK_SCOPES));
    for (const cell of cells) expect(cell.steps.map((s) => s.scenario)).toEqual([...SCENARIO_NAMES]);
  });

  it.each(sweepSubset().map((cell) => [`${cell.strategy} × lock ${cell.lock}`, cell] as const))('%s: each run on one seed audits ok', async (_, cell) => {
    const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-sweep-runs-'));
    const cellRows = await runSweepCell(cell, { env: labEnvironment(db.config), targetUrl: db.config.targetUrl, runsDir });
    expect(cellRows.map((r) => ({ step: r.step, verdict: r.verdict, detail: r.detail })))
      .toEqual(cell.steps.map((_, i) => ({ step: cellRows[i]?.step, verdict: 'ok', detail: '' })));
    // A run that made no request would audit ok vacuously.
    expect(cellRows.every((r) => r.requests > 0)).toBe(true);
  }, 150_000);
});
