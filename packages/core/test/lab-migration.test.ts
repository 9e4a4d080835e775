import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type PerfLabConfig } from '../src/index.ts';
import { findBinary } from '../src/lab/services/find-binary.ts';
import { spawnManaged, stopManaged } from '../src/lab/managed-process.ts';
import { privateLabConfig } from './private-lab.ts';
import { freePort } from './free-port.ts';

/**
 * A lab made by an older perf-lab — app user with ALL … WITH GRANT OPTION, root over TCP,
 * Redis without a password — is brought to least privilege or refused with what to run.
 */
describe('labs from before least privilege', () => {
  const configs: PerfLabConfig[] = [];
  const lab = async (service: 'mysql' | 'redis'): Promise<PerfLabConfig> => {
    const base = await privateLabConfig({ mysql: await freePort(), redis: await freePort(), kafka: await freePort(), controller: await freePort() });
    const config = { ...base, managed: new Set([service] as const) } as PerfLabConfig;
    configs.push(config);
    return config;
  };
  afterAll(async () => {
    for (const config of configs) await labDown(config, { wipe: true, only: [...config.managed] });
  }, 60_000);

  it('a restart migrates a MariaDB datadir with the old grants: root TCP accounts dropped, app user reduced', async () => {
    const config = await lab('mysql');
    await labUp(config, { only: ['mysql'] });
    const root = await mysql.createConnection({ socketPath: path.join(config.stateDir, 'mysql', 'run', 'mysqld.sock'), user: 'root' });
    try {
      // What the old bootstrap left behind.
      await root.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'");
      await root.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
      await root.query("GRANT ALL PRIVILEGES ON *.* TO 'perflab'@'127.0.0.1' WITH GRANT OPTION");
    } finally {
      await root.end();
    }
    const tcpRoot = { host: config.mysql.host, port: config.mysql.port, user: 'root' };
    await (await mysql.createConnection(tcpRoot)).end(); // the hole is really there

    await labDown(config, { only: ['mysql'] });
    // An older perf-lab running as root also left the datadir owned by root; the restart hands it over.
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', '0:0', path.join(config.stateDir, 'mysql')]);
    await labUp(config, { only: ['mysql'] });
    if (process.getuid?.() === 0) expect(statSync(path.join(config.stateDir, 'mysql', 'data')).uid).not.toBe(0);
    await expect(mysql.createConnection(tcpRoot)).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });
    const app = await mysql.createConnection({ host: config.mysql.host, port: config.mysql.port, user: config.mysql.user, password: config.mysql.password });
    try {
      const [rows] = await app.query<mysql.RowDataPacket[]>('SHOW GRANTS');
      const grants = rows.map((r) => String(Object.values(r)[0])).join('\n');
      expect(grants).toMatch(/GRANT USAGE ON \*\.\*/);
      expect(grants).not.toMatch(/ALL PRIVILEGES|GRANT OPTION|\bFILE\b/);
    } finally {
      await app.end();
    }
  }, 120_000);

  it('a running Redis without a password is refused with the command that fixes it', async () => {
    const config = await lab('redis');
    const dir = path.join(config.stateDir, 'redis');
    // Started the way an older perf-lab did: no ACL file, so no password.
    spawnManaged({ pidFile: path.join(dir, 'redis.pid'), logFile: path.join(dir, 'redis.log'), marker: dir }, {
      command: findBinary(['redis-server'])!,
      args: ['--port', String(config.redis.port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--set-proc-title', 'no'],
    });
    const error = await waitForRefusal(config);
    expect(error).toMatch(/started by an older perf-lab without least privilege \(it answers without a password\)/);
    expect(error).toContain('perf-lab down && perf-lab up');

    await stopManaged({ pidFile: path.join(dir, 'redis.pid'), logFile: '', marker: dir }, 5000);
    await labUp(config, { only: ['redis'] }); // restarted by this perf-lab, it now requires the password
  }, 60_000);
});

/** Waits until the old Redis answers (without a password), then asks labUp once. */
async function waitForRefusal(config: PerfLabConfig): Promise<string> {
  const open = new URL(config.redis.url);
  open.username = '';
  open.password = '';
  for (let i = 0; i < 100; i++) {
    const client = new Redis(open.toString(), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    const answered = await client.connect().then(() => client.ping()).then(() => true, () => false);
    client.disconnect();
    if (answered) return labUp(config, { only: ['redis'] }).then(() => 'accepted', (err: unknown) => (err as Error).message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 'the old Redis never answered';
}
