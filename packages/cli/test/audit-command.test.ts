import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { labDown, manifestPath, runMigrations, type PerfLabConfig } from '@perf-lab/core';
import { envOf, privateLabConfig } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

/** An audit that has nothing to judge must say so (exit 2), never report ok or violated. */
describe('perf-lab audit refuses what it cannot judge', () => {
  it('--latest with no run folder: exit 2 naming the folder, before touching any service', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'perf-lab-no-runs-'));
    const cli = await runCli(['audit', '--latest', '--json'], {}, { cwd });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`perf-lab: --latest: no run folder in ${path.join(cwd, 'reports', 'runs')} — run \`perf-lab run\` first`);
    expect(cli.stdout).toBe('');
  });

  describe('after down --wipe, on a private lab', () => {
    let config: PerfLabConfig;
    let env: Record<string, string>;

    beforeAll(async () => {
      // Only MySQL is wiped; Redis and Kafka are the shared lab's, under names of this lab.
      config = await privateLabConfig({}, ['mysql']);
      env = envOf(config);
    });
    afterAll(async () => {
      if (!config) return;
      await labDown(config, { wipe: true });
      const redis = new Redis(config.redis.url);
      const keys = await redis.keys(`${config.redisKeyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('the seed manifest goes with the data, and an audit of the empty database is exit 2 with the reason', async () => {
      expect((await runCli(['up'], env)).code).toBe(0);
      await runMigrations(config);
      const seeded = await runCli(['seed', '--users', '100', '--coupon-stock', '10', '--json'], env);
      expect(seeded.code).toBe(0);
      const before = await runCli(['audit', '--timeout', '10', '--json'], env);
      expect(before.code).toBe(0);
      expect((JSON.parse(before.stdout) as { verdict: string }).verdict).toBe('ok');
      const manifestFile = manifestPath(config.stateDir);
      const manifest = readFileSync(manifestFile, 'utf8');

      const down = await runCli(['down', '--wipe'], env);
      expect(down.code).toBe(0);
      expect(existsSync(manifestFile)).toBe(false);
      const upAgain = await runCli(['up'], env);
      expect(upAgain.code, upAgain.stderr).toBe(0);
      const noManifest = await runCli(['audit', '--timeout', '10'], env);
      expect(noManifest.code).toBe(2);
      expect(noManifest.stderr).toContain(`no seed manifest at ${manifestFile} — run \`perf-lab seed\` first`);

      // A manifest that outlived its data (a database emptied by other means) is refused too.
      writeFileSync(manifestFile, manifest);
      const noTables = await runCli(['audit', '--timeout', '10'], env);
      expect(noTables.code).toBe(2);
      expect(noTables.stderr).toMatch(/database perf_lab lacks table\(s\) users, .* it was wiped or re-created since/);
      await runMigrations(config);
      const noRows = await runCli(['audit', '--timeout', '10', '--json'], env);
      expect(noRows.code).toBe(2);
      expect(noRows.stderr).toContain('database perf_lab holds 0 of the 100 users the seed manifest');
      expect(noRows.stdout).toBe('');
    }, 240_000);
  });
});
