import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, ServiceError } from '@perf-lab/core';
import { envOf, privateLabConfig } from '../../core/test/private-lab.ts';
import { runCli } from './run-cli.ts';

describe('lab error paths', () => {
  let squatter: net.Server;
  let takenPort: number;

  beforeAll(async () => {
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    takenPort = (squatter.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('up refuses a port another process holds, naming service and port, and starts nothing there', async () => {
    const config = await privateLabConfig({ redis: takenPort });
    const onlyRedis = { ...envOf(config), PERF_LAB_MANAGE: 'redis' };
    const cli = await runCli(['up'], onlyRedis);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`redis: port ${takenPort} on 127.0.0.1 is already in use by a process perf-lab did not start`);

    // Through the library, with only Redis configured, the error is typed and carries the address.
    const error = await labUp({ ...config, managed: new Set(['redis'] as const) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toContain(`redis: port ${takenPort} on 127.0.0.1 is already in use`);
    await labDown(config, { wipe: true });
  });

  it('up --with names only optional services: anything else exits 2 before starting anything', async () => {
    const cli = await runCli(['up', '--with', 'grafana']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--with grafana: not an optional service — choose from prometheus');
  });

  it('an external service that is unreachable is named with its address (up exits 2, status exits 1)', async () => {
    // Port 1 on loopback: nothing listens there, so connections are refused at once.
    const env = { PERF_LAB_REDIS_URL: 'redis://127.0.0.1:1', PERF_LAB_MANAGE: '' };
    const external = { ...env, PERF_LAB_MYSQL_URL: 'mysql://u:p@127.0.0.1:1/db', PERF_LAB_KAFKA_BROKERS: '127.0.0.1:1' };
    const up = await runCli(['up'], external);
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/cannot reach redis at 127\.0\.0\.1:1 \(.*ECONNREFUSED.*\)/);
    expect(up.stderr).toMatch(/cannot reach mysql at 127\.0\.0\.1:1/);
    expect(up.stderr).toMatch(/cannot reach kafka at 127\.0\.0\.1:1/);
    // A user who only meant to move the lab's ports learns why perf-lab did not start them.
    expect(up.stderr).toMatch(/makes redis an external service perf-lab does not start — .*also set PERF_LAB_MANAGE/);

    const status = await runCli(['status', '--json'], external);
    expect(status.code).toBe(1);
    const doc = JSON.parse(status.stdout) as { services: { name: string; ok: boolean; address: string }[] };
    expect(doc.services.map((s) => [s.name, s.ok, s.address])).toEqual([
      ['mysql', false, '127.0.0.1:1'], ['redis', false, '127.0.0.1:1'], ['kafka', false, '127.0.0.1:1'],
    ]);
  });

  it('bad configuration is a usage error naming the key and value', async () => {
    const cli = await runCli(['status'], { PERF_LAB_REDIS_URL: 'redis://127.0.0.1:99999' });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('invalid redisUrl (PERF_LAB_REDIS_URL): "redis://127.0.0.1:99999"');
  });

  it('a fault on an external service, or a malformed one, is refused before anything starts (exit 2)', async () => {
    const external = { PERF_LAB_MYSQL_URL: 'mysql://u:p@127.0.0.1:1/db', PERF_LAB_MANAGE: '' };
    const lab = await runCli(['lab', '--fault', 'kill-mysql@1s'], external);
    expect(lab.code).toBe(2);
    expect(lab.stderr).toContain('fault "kill-mysql@1s": mysql at 127.0.0.1:1 is an external service');
    expect(lab.stderr).not.toMatch(/cannot reach/);
    const bad = await runCli(['run', 'coupon', '--fault', 'kill-server@soon'], external);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid start of fault "kill-server@soon"');
  });

  it('faults from the configuration are checked as flags are, and flags add to them (exit 2 before anything starts)', async () => {
    const external = { PERF_LAB_MYSQL_URL: 'mysql://u:p@127.0.0.1:1/db', PERF_LAB_MANAGE: '' };
    const malformed = await runCli(['run', 'coupon'], { ...external, PERF_LAB_FAULTS: 'kill-redis@2s,crash-kafka@1s' });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('invalid faults (PERF_LAB_FAULTS): invalid fault "crash-kafka@1s": unknown action "crash"');
    // A configured fault reaches the job: refused for its external target, like a flag's.
    const configured = await runCli(['lab'], { ...external, PERF_LAB_FAULTS: 'kill-mysql@1s' });
    expect(configured.code).toBe(2);
    expect(configured.stderr).toContain('fault "kill-mysql@1s": mysql at 127.0.0.1:1 is an external service');
    // The flag's fault joins the configured one, so their overlap on one target is refused.
    const overlap = await runCli(['run', 'coupon', '--fault', 'kill-kafka@12s'], { ...external, PERF_LAB_FAULTS: 'pause-kafka@10s:5s' });
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toContain('faults "pause-kafka@10s:5s" and "kill-kafka@12s" overlap on kafka');
  });

  it('logs names the valid services for an unknown one', async () => {
    const cli = await runCli(['logs', 'postgres']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('unknown service "postgres" — choose one of mysql, redis, kafka');
  });
});
