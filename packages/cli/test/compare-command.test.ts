import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { envOf } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

/** compare runs the whole job twice; a configuration that breaks correctness fails it. */
describe('perf-lab compare', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('compare');
  });
  afterAll(async () => db?.drop());

  it('exits 1 when either side\'s audit is violated, on the default profile (sequential)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'perf-lab-compare-'));
    const cli = await runCli([
      'compare', 'storm', '--vus', '10', '--users', '100', '--coupon-stock', '1000', '--a', 'strategy=redis-kafka', '--b', 'strategy=naive', '--json',
    ], envOf(db.config), { cwd, timeoutMs: 240_000 });
    expect(cli.stderr).not.toMatch(/perf-lab: /);
    expect(cli.code).toBe(1);
    const out = JSON.parse(cli.stdout) as { file: string; a: { runDir: string; audit: string }; b: { runDir: string; audit: string } };
    expect(out.a.audit).toBe('ok');
    expect(out.b.audit).toBe('violated');
    for (const side of [out.a, out.b]) expect(path.basename(side.runDir)).toMatch(/-storm-sequential$/);
    const file = path.resolve(cwd, out.file);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/\| audit \| ok \| violated \| {2}\|/);
    // Progress of both runs goes to stderr, prefixed by side.
    expect(cli.stderr).toContain('[A] run: storm / sequential');
    expect(cli.stderr).toContain('[B] run: storm / sequential');
  }, 300_000);
});
