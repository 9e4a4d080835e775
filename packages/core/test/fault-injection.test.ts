import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ConfigError, labStatus, parseFaults, runScenario, type FaultRecord, type PerfLabConfig } from '../src/index.ts';
import { privateLabConfig } from './private-lab.ts';
import { useServedPrivateLab } from './served-private-lab.ts';

/**
 * Faults are injected into a private lab on ports of its own, so killing its Redis never
 * touches the lab other test files share.
 */
describe('fault injection during a run', () => {
  const lab = useServedPrivateLab();
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-fault-runs-'));

  it('kill-redis@2s:1s is injected, undone, recorded in run.json, and Redis serves again', async () => {
    const redisBefore = (await labStatus(lab.config)).find((s) => s.name === 'redis')?.pid;
    const run = await runScenario(lab.config, {
      scenario: 'coupon', profile: 'load', overrides: { duration: '8s', vus: 4 }, runsDir, faults: parseFaults(['kill-redis@2s:1s']),
    });
    const recorded = (JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as { faults: FaultRecord[] }).faults;
    expect(recorded).toEqual(run.faults);
    const [fault] = recorded;
    expect(fault).toMatchObject({ fault: 'kill-redis@2s:1s', action: 'kill', target: 'redis', outcome: 'recovered', pid: redisBefore });
    expect(fault!.startMs).toBeGreaterThanOrEqual(2000);
    expect(fault!.endMs! - fault!.startMs!).toBeGreaterThanOrEqual(1000);
    expect(fault!.recoveredMs).toBeGreaterThanOrEqual(fault!.endMs!);
    expect(fault!.serverBackMs).toBeGreaterThanOrEqual(fault!.endMs!);

    const redisAfter = (await labStatus(lab.config)).find((s) => s.name === 'redis');
    expect(redisAfter).toMatchObject({ ok: true });
    expect(redisAfter?.pid).not.toBe(redisBefore);
    const client = new Redis(lab.config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
    // The outage shows in the run: some requests failed while Redis was down, the rest went on.
    expect(run.results.requests).toBeGreaterThan(0);
  }, 120_000);

  it('pause-kafka@1s:2s stops and resumes the broker', async () => {
    const run = await runScenario(lab.config, {
      scenario: 'coupon', profile: 'load', overrides: { duration: '5s', vus: 2 }, runsDir, faults: parseFaults(['pause-kafka@1s:2s']),
    });
    expect(run.faults[0]).toMatchObject({ target: 'kafka', action: 'pause', outcome: 'recovered' });
    expect(run.faults[0]!.endMs! - run.faults[0]!.startMs!).toBeGreaterThanOrEqual(2000);
    expect((await labStatus(lab.config)).find((s) => s.name === 'kafka')).toMatchObject({ ok: true });
  }, 120_000);

  it('refuses faults on what perf-lab does not manage (exit 2), before anything runs', async () => {
    const external = await privateLabConfig({ mysql: 1, redis: 2, kafka: 3, controller: 4 });
    const asExternal = { ...external, managed: new Set<never>() } as PerfLabConfig;
    await expect(runScenario(asExternal, { scenario: 'coupon', profile: 'load', runsDir, faults: parseFaults(['kill-mysql@1s']) }))
      .rejects.toThrow(/external service — perf-lab only injects faults into services it manages/);
    // This lab's state folder has no server perf-lab started.
    await expect(runScenario(external, { scenario: 'coupon', profile: 'load', runsDir, faults: parseFaults(['kill-server@1s']) }))
      .rejects.toBeInstanceOf(ConfigError);
  });
});
