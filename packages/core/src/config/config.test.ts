import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { executableSearchPath } from './config-input.ts';
import { resolveConfig } from './config.ts';

const cwd = () => mkdtempSync(path.join(tmpdir(), 'perf-lab-config-'));

describe('resolveConfig', () => {
  it('uses loopback defaults on ports of its own and manages every service', async () => {
    const config = await resolveConfig({ cwd: cwd(), env: {} });
    expect(config.mysql).toMatchObject({ host: '127.0.0.1', port: 13306, user: 'perflab', database: 'perf_lab' });
    expect(config.redis.port).toBe(16379);
    expect(config.kafka).toMatchObject({ brokers: ['127.0.0.1:19092'], controllerPort: 19093 });
    expect([...config.managed].sort()).toEqual(['kafka', 'mysql', 'redis']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('layers defaults < file < environment < flags', async () => {
    const dir = cwd();
    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({
      redisUrl: 'redis://127.0.0.1:7001', targetUrl: 'http://127.0.0.1:9000', startTimeoutSeconds: 5,
    }));
    const config = await resolveConfig({
      cwd: dir,
      env: { PERF_LAB_REDIS_URL: 'redis://127.0.0.1:7002', PERF_LAB_TARGET_URL: 'http://127.0.0.1:9001/' },
      flags: { targetUrl: 'http://127.0.0.1:9002', stateDir: undefined },
    });
    expect(config.redis.port).toBe(7002);
    expect(config.targetUrl).toBe('http://127.0.0.1:9002');
    expect(config.startTimeoutMs).toBe(5000);
    expect(config.stateDir).toBe(path.join(dir, '.perf-lab'));
    // The user pointed Redis elsewhere: perf-lab no longer starts or stops it.
    expect([...config.managed].sort()).toEqual(['kafka', 'mysql']);
  });

  it('manages exactly what PERF_LAB_MANAGE names', async () => {
    const config = await resolveConfig({ cwd: cwd(), env: { PERF_LAB_MANAGE: 'redis', PERF_LAB_REDIS_URL: 'redis://127.0.0.1:7003' } });
    expect([...config.managed]).toEqual(['redis']);
  });

  it.each([
    [{ PERF_LAB_MYSQL_URL: 'mysql://u@127.0.0.1:70000/db' }, /mysqlUrl \(PERF_LAB_MYSQL_URL\): "mysql:\/\/u@127.0.0.1:70000\/db" — expected a URL/],
    [{ PERF_LAB_REDIS_URL: 'not a url' }, /redisUrl \(PERF_LAB_REDIS_URL\): "not a url"/],
    [{ PERF_LAB_REDIS_URL: 'http://127.0.0.1:1' }, /redisUrl.*expected a redis: URL/],
    [{ PERF_LAB_KAFKA_BROKERS: 'nohostport' }, /kafkaBrokers.*"nohostport".*host:port/],
    [{ PERF_LAB_KAFKA_CONTROLLER_PORT: '0' }, /kafkaControllerPort.*"0"/],
    [{ PERF_LAB_START_TIMEOUT: '-1' }, /startTimeoutSeconds.*positive number/],
    [{ PERF_LAB_MANAGE: 'postgres' }, /manage.*"postgres"/],
    [{ PERF_LAB_MANAGE: 'mysql', PERF_LAB_MYSQL_URL: 'mysql://u@10.1.2.3:3306/db' }, /only binds to 127\.0\.0\.1/],
  ])('rejects %j naming the key and value', async (env, message) => {
    await expect(resolveConfig({ cwd: cwd(), env })).rejects.toThrow(message);
    await expect(resolveConfig({ cwd: cwd(), env })).rejects.toBeInstanceOf(ConfigError);
  });

  it('reads faults from the file as a list and from the environment comma-separated, checked as the flag is', async () => {
    const dir = cwd();
    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({ faults: ['pause-kafka@30s:10s', ' kill-server@20s '] }));
    expect((await resolveConfig({ cwd: dir, env: {} })).faults).toEqual(['pause-kafka@30s:10s', 'kill-server@20s']);
    expect((await resolveConfig({ cwd: dir, env: { PERF_LAB_FAULTS: 'kill-redis@5s, pause-mysql@9s:1s' } })).faults).toEqual(['kill-redis@5s', 'pause-mysql@9s:1s']);
    expect((await resolveConfig({ cwd: cwd(), env: {} })).faults).toEqual([]);
    await expect(resolveConfig({ cwd: cwd(), env: { PERF_LAB_FAULTS: 'kill-redis@5s,kill-postgres@1s' } }))
      .rejects.toThrow(/invalid faults \(PERF_LAB_FAULTS\): invalid fault "kill-postgres@1s": unknown target "postgres"/);
    await expect(resolveConfig({ cwd: cwd(), env: { PERF_LAB_FAULTS: 'pause-kafka@10s:10s,kill-kafka@15s' } })).rejects.toThrow(/overlap on kafka/);
    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({ faults: [{ kill: 'server' }] }));
    await expect(resolveConfig({ cwd: dir, env: {} })).rejects.toThrow(ConfigError);
  });

  it('rejects unknown keys in the config file', async () => {
    const dir = cwd();
    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({ mysqlURL: 'x' }));
    await expect(resolveConfig({ cwd: dir, env: {} })).rejects.toThrow(/unknown key\(s\) mysqlURL/);
  });

  it('reads the API contract from the config file, the environment winning, and refuses a wrong one by place', async () => {
    const dir = cwd();
    expect((await resolveConfig({ cwd: dir, env: {} })).api.orderCreate.path).toBe('/api/orders');
    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({ api: { ids: { user: 'test-user-{n}' }, orderCreate: { path: '/v1/orders' } } }));
    const fromFile = await resolveConfig({ cwd: dir, env: {} });
    expect(fromFile.api.ids.user).toBe('test-user-{n}');
    expect(fromFile.api.orderCreate.path).toBe('/v1/orders');
    const fromEnv = await resolveConfig({ cwd: dir, env: { PERF_LAB_API_CONTRACT: JSON.stringify({ orderCreate: { path: '/v2/orders' } }) } });
    expect(fromEnv.api.orderCreate.path).toBe('/v2/orders');
    writeFileSync(path.join(dir, 'perf-lab.config.json'), JSON.stringify({ api: { couponIssue: { success: [500] } } }));
    await expect(resolveConfig({ cwd: dir, env: {} })).rejects.toThrow(/invalid API contract at api\.couponIssue\.success\[0\]: expected an HTTP status 200–299, got 500/);
    await expect(resolveConfig({ cwd: dir, env: { PERF_LAB_API_CONTRACT: '{broken' } })).rejects.toThrow(/api \(PERF_LAB_API_CONTRACT\).*JSON/);
  });
});

describe('executableSearchPath', () => {
  it('lists the PATH directories in order, skipping empty entries', () => {
    const PATH = ['/opt/a', '', '/usr/bin'].join(path.delimiter);
    expect(executableSearchPath({ PATH })).toEqual(['/opt/a', '/usr/bin']);
    expect(executableSearchPath({})).toEqual([]);
  });
});
