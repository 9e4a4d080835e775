import { statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labStatus, resolveConfig, type PerfLabConfig } from '../../core/src/index.ts';
import { processUid } from '../../core/src/lab/services/system-user.ts';
import { runCli } from './run-cli.ts';

/** The lab is least-privilege: each check here is something a hostile local client tried. */
describe('lab privileges', () => {
  let config: PerfLabConfig;
  let app: mysql.Connection;

  beforeAll(async () => {
    config = await resolveConfig();
    expect([...config.managed].sort(), 'this test checks the lab perf-lab manages').toEqual(['kafka', 'mysql', 'redis']);
    app = await mysql.createConnection({ host: config.mysql.host, port: config.mysql.port, user: config.mysql.user, password: config.mysql.password });
  });
  afterAll(async () => {
    await app.end();
  });

  it('refuses root over TCP, with or without a password', async () => {
    for (const password of ['', 'root']) {
      await expect(mysql.createConnection({ host: config.mysql.host, port: config.mysql.port, user: 'root', password }))
        .rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });
    }
  });

  it('gives the app user its own databases only: no FILE, no GRANT, nothing on *.*', async () => {
    const [rows] = await app.query<mysql.RowDataPacket[]>('SHOW GRANTS');
    const grants = rows.map((r) => String(Object.values(r)[0]));
    expect(grants.find((g) => g.includes(' ON *.* '))).toMatch(/^GRANT USAGE ON \*\.\* /);
    expect(grants.join('\n')).not.toMatch(/\bFILE\b|GRANT OPTION|ALL PRIVILEGES|SUPER|PROCESS/);
    const [file] = await app.query<mysql.RowDataPacket[]>("SELECT LOAD_FILE('/etc/passwd') AS f");
    expect(file[0]?.['f']).toBeNull();
    await expect(app.query(`GRANT SELECT ON \`${config.mysql.database}\`.* TO 'nobody'@'127.0.0.1'`)).rejects.toThrow();
    await expect(app.query('SELECT COUNT(*) FROM mysql.user')).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
    await expect(app.query('CREATE DATABASE elsewhere_not_the_labs')).rejects.toThrow(/denied/);
  });

  it('runs mariadbd as a system user and keeps its socket in an owner-only folder', async () => {
    const mysqlStatus = (await labStatus(config)).find((s) => s.name === 'mysql');
    expect(mysqlStatus?.pid).toBeTypeOf('number');
    if (process.getuid?.() === 0) expect(processUid(mysqlStatus!.pid!)).not.toBe(0);
    const socketDir = statSync(path.join(config.stateDir, 'mysql', 'run'));
    expect(socketDir.mode & 0o777).toBe(0o700);
    expect(socketDir.uid).toBe(processUid(mysqlStatus!.pid!));
  });

  it('refuses Redis clients without the per-lab password, and CONFIG even with it', async () => {
    const open = new URL(config.redis.url);
    expect(open.password).not.toBe('');
    open.username = '';
    open.password = '';
    const anonymous = new Redis(open.toString(), { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
    try {
      await anonymous.connect();
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
    const authed = new Redis(config.redis.url, { maxRetriesPerRequest: 0 });
    try {
      expect(await authed.ping()).toBe('PONG');
      await expect(authed.config('GET', 'dir')).rejects.toThrow(/NOPERM/);
    } finally {
      authed.disconnect();
    }
    const secret = statSync(path.join(config.stateDir, 'secrets', 'redis-password'));
    expect(secret.mode & 0o777).toBe(0o600);
  });

  it('perf-lab exec hands a child the lab\'s addresses with the Redis password, printing no secret', async () => {
    const open = new URL(config.redis.url);
    const password = decodeURIComponent(open.password);
    open.username = '';
    open.password = '';
    const child = [
      "const { Redis } = require('ioredis');",
      'const r = new Redis(process.env.PERF_LAB_REDIS_URL, { maxRetriesPerRequest: 0 });',
      "r.ping().then((p) => { console.log(p); r.disconnect(); process.exit(7); }, () => process.exit(9));",
    ].join('\n');
    // As a user's shell has it: the Redis address without the password perf-lab generated.
    const cli = await runCli(['exec', '--', process.execPath, '-e', child], { PERF_LAB_REDIS_URL: open.toString() });
    expect(cli.stdout.trim()).toBe('PONG');
    expect(cli.code).toBe(7);
    expect(cli.stdout + cli.stderr).not.toContain(password);
  });
});
