import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, writeReport } from '../src/index.ts';
import type { RunRecord } from '../src/run/run-record.ts';
import { useServedPrivateLab } from './served-private-lab.ts';

/**
 * A short real run on a lab whose MariaDB perf-lab manages (a private one) and whose Redis and
 * Kafka it does not (the shared lab's, seen here as external): run.json carries the CPU each
 * process used, the external ones as not measured, and per-operation figures that divide it.
 */
describe('CPU per process in a run', () => {
  const lab = useServedPrivateLab(['mysql']);
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-cpu-runs-'));

  it('records non-zero CPU for the server and MariaDB, per-op = total / successes, external services not measured', async () => {
    const run = await runScenario(lab.config, { scenario: 'coupon', profile: 'load', overrides: { duration: '4s', vus: 4 }, runsDir });
    const { cpu } = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunRecord;
    if (!cpu) throw new Error('run.json has no cpu');
    expect(cpu.successfulOps).toBe(run.results.successes);
    expect(cpu.successfulOps).toBeGreaterThan(0);
    expect(cpu.perProcess['server']).toMatchObject({ pid: lab.server.pid });
    for (const name of ['server', 'mysql', 'load generator']) {
      const measured = cpu.perProcess[name];
      if (!measured || !('cpuMs' in measured)) throw new Error(`${name} not measured: ${JSON.stringify(measured)}`);
      expect(measured.cpuMs).toBeGreaterThan(0);
      expect(cpu.perSuccessfulOp[name]).toBeCloseTo(measured.cpuMs / cpu.successfulOps, 9);
    }
    expect(cpu.perProcess['redis']).toEqual({ notMeasured: `external service at ${lab.config.redis.host}:${lab.config.redis.port}` });
    expect(cpu.perProcess['kafka']).toMatchObject({ notMeasured: expect.stringMatching(/^external service at /) });
    expect(cpu.perSuccessfulOp['redis']).toBeNull();
    expect(cpu.total.complete).toBe(false);
    expect(cpu.total.perSuccessfulOp).toBeCloseTo(cpu.total.cpuMs / cpu.successfulOps, 9);

    const report = writeReport(run.runDir).markdown;
    expect(report).toContain('## Where the CPU went');
    expect(report).toContain(`not measured: external service at ${lab.config.redis.host}:${lab.config.redis.port}`);
  }, 120_000);
});
