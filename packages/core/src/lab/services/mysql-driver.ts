import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import type { PerfLabConfig } from '../../config/config.ts';
import type { ServiceDriver } from '../service-driver.ts';
import { findBinary } from './find-binary.ts';

const run = promisify(execFile);

export function mysqlDriver(config: PerfLabConfig): ServiceDriver {
  const { mysql: my, stateDir } = config;
  const dir = path.join(stateDir, 'mysql');
  const dataDir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const address = `${my.host}:${my.port}`;
  const isRoot = process.getuid?.() === 0;

  const binaries = () => ({ server: findBinary(['mariadbd', 'mysqld']), installDb: findBinary(['mariadb-install-db', 'mysql_install_db']) });

  async function socketProbe(timeoutMs: number): Promise<string> {
    const conn = await mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: timeoutMs });
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      return String(rows[0]?.['v']);
    } finally {
      await conn.end();
    }
  }

  // The app user reaches the server over TCP; root stays socket-only (skip-name-resolve means
  // root@localhost never matches a TCP client).
  async function bootstrap(): Promise<void> {
    const conn = await mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true });
    try {
      const user = conn.escape(my.user);
      const pass = conn.escape(my.password);
      await conn.query(
        `CREATE USER IF NOT EXISTS ${user}@'127.0.0.1' IDENTIFIED BY ${pass};
         CREATE USER IF NOT EXISTS ${user}@'localhost' IDENTIFIED BY ${pass};
         GRANT ALL PRIVILEGES ON *.* TO ${user}@'127.0.0.1' WITH GRANT OPTION;
         GRANT ALL PRIVILEGES ON *.* TO ${user}@'localhost' WITH GRANT OPTION;
         CREATE DATABASE IF NOT EXISTS \`${my.database}\`;`,
      );
    } finally {
      await conn.end();
    }
  }

  async function probe(timeoutMs: number): Promise<string> {
    const conn = await mysql.createConnection({
      host: my.host, port: my.port, user: my.user, password: my.password, connectTimeout: timeoutMs,
    });
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      return String(rows[0]?.['v']);
    } finally {
      await conn.end();
    }
  }

  return {
    name: 'mysql',
    address,
    process: { pidFile: path.join(dir, 'mysqld.pid'), logFile: path.join(dir, 'mysqld.log'), marker: dataDir },
    missingInstall() {
      const { server, installDb } = binaries();
      if (server && installDb) return undefined;
      return 'MariaDB server is not installed — run `bash scripts/setup.sh` (Debian/Ubuntu: `sudo apt-get install mariadb-server`; macOS: `brew install mariadb`)';
    },
    async prepare() {
      if (existsSync(path.join(dataDir, 'mysql'))) return;
      mkdirSync(dataDir, { recursive: true });
      const { installDb } = binaries();
      await run(installDb!, [
        '--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal',
        '--skip-test-db', ...(isRoot ? ['--user=root'] : []),
      ]);
    },
    spawnSpec() {
      return {
        command: binaries().server!,
        args: [
          '--no-defaults', `--datadir=${dataDir}`, `--socket=${socket}`, `--port=${my.port}`,
          `--bind-address=${my.host === 'localhost' ? '127.0.0.1' : my.host}`, '--skip-name-resolve',
          `--pid-file=${path.join(dir, 'mariadbd.pid')}`, `--log-error=${path.join(dir, 'mysqld.log')}`,
          // Room for several reference servers with pools of 100 each, plus the auditor.
          '--max-connections=1000', '--innodb-buffer-pool-size=1G', '--innodb-log-file-size=256M',
          '--skip-log-bin', '--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin',
          '--local-infile=1',
          ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        ],
      };
    },
    async ready(timeoutMs) {
      await socketProbe(timeoutMs);
      await bootstrap();
      return probe(timeoutMs);
    },
    probe,
  };
}
