import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envOf } from '../../core/test/private-lab.ts';
import { createTestDatabase, type TestDatabase } from '../../core/test/test-database.ts';
import { runCli } from './run-cli.ts';

/**
 * `perf-lab lab` when the reference server cannot start: exit 2, why this start failed, and
 * only this start's lines of the server log, though the log file holds earlier processes' lines.
 */
describe('perf-lab lab: a reference server that does not start', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let logFile: string;

  beforeAll(async () => {
    db = await createTestDatabase('start');
    // The lab answers, but the database the server is told to use does not exist: its migration fails.
    const missing = new URL(db.config.mysql.url);
    missing.pathname = `${missing.pathname}_missing`;
    env = { ...envOf(db.config), PERF_LAB_MYSQL_URL: missing.toString() };
    logFile = path.join(db.config.stateDir, 'reference-server.log');
    writeFileSync(logFile, 'a line from an earlier server process\n');
  });
  afterAll(async () => db?.drop());

  it('exits 2 naming why, with only this process\'s log lines', async () => {
    const first = await runCli(['lab', '--scale', '0.01'], env, { timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(2);
    expect(first.stderr).toMatch(/the reference server \(pid (\d+)\) exited before it answered GET/);
    expect(first.stderr).toMatch(/Unknown database '[^']*_missing'/);
    expect(first.stderr).not.toContain('an earlier server process');
    const firstPid = /the reference server \(pid (\d+)\)/.exec(first.stderr)![1]!;

    const second = await runCli(['lab', '--scale', '0.01'], env, { timeoutMs: 120_000 });
    expect(second.code, second.stderr).toBe(2);
    const secondPid = /the reference server \(pid (\d+)\)/.exec(second.stderr)![1]!;
    expect(secondPid).not.toBe(firstPid);
    expect(second.stderr).not.toContain(`pid ${firstPid}`);
    expect(second.stderr).not.toContain('an earlier server process');
    // The file keeps every start, for `tail -f` users.
    expect(readFileSync(logFile, 'utf8')).toContain('an earlier server process');
  }, 240_000);
});
