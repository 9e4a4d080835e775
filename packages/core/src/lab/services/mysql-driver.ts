import { execFile } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import type { PerfLabConfig } from '../../config/config.ts';
import { runningPid } from '../managed-process.ts';
import type { ServiceDriver } from '../service-driver.ts';
import { findBinary } from './find-binary.ts';
import { applyLeastPrivilege } from './mysql-privileges.ts';
import { allowTraverse, handOver, processUid, runningAsRoot, systemUser } from './system-user.ts';

const run = promisify(execFile);

/** The system user mariadbd drops to when perf-lab runs as root (the one the package creates). */
const SERVER_USER = 'mysql';

export function mysqlDriver(config: PerfLabConfig): ServiceDriver {
  const { mysql: my, stateDir } = config;
  const dir = path.join(stateDir, 'mysql');
  const dataDir = path.join(dir, 'data');
  // The socket lives in a 0700 folder of the server's user: root@localhost (no password) is
  // reachable only through it, so only that user (and root) can administer the server.
  const runDir = path.join(dir, 'run');
  const socket = path.join(runDir, 'mysqld.sock');
  const logFile = path.join(dir, 'mysqld.log');
  const address = `${my.host}:${my.port}`;
  const serverUser = () => systemUser(SERVER_USER, 'mysql', address);
  const process_ = { pidFile: path.join(dir, 'mysqld.pid'), logFile, marker: dataDir };

  const binaries = () => ({ server: findBinary(['mariadbd', 'mysqld']), installDb: findBinary(['mariadb-install-db', 'mysql_install_db']) });

  async function query(options: mysql.ConnectionOptions, sql: string): Promise<string> {
    const conn = await mysql.createConnection(options);
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
      return String(rows[0]?.['v']);
    } finally {
      await conn.end();
    }
  }

  const socketProbe = (timeoutMs: number) => query({ socketPath: socket, user: 'root', connectTimeout: timeoutMs }, 'SELECT VERSION() AS v');
  const probe = (timeoutMs: number) => query(
    { host: my.host, port: my.port, user: my.user, password: my.password, connectTimeout: timeoutMs }, 'SELECT VERSION() AS v');

  async function bootstrap(): Promise<void> {
    const conn = await mysql.createConnection({ socketPath: socket, user: 'root' });
    try {
      await applyLeastPrivilege(conn, my);
    } finally {
      await conn.end();
    }
  }

  return {
    name: 'mysql',
    address,
    process: process_,
    missingInstall() {
      const { server, installDb } = binaries();
      if (server && installDb) return undefined;
      return 'MariaDB server is not installed — run `bash scripts/setup.sh` (Debian/Ubuntu: `sudo apt-get install mariadb-server`; macOS: `brew install mariadb`)';
    },
    async prepare() {
      mkdirSync(runDir, { recursive: true });
      chmodSync(runDir, 0o700);
      closeSync(openSync(logFile, 'a'));
      const asRoot = runningAsRoot();
      if (asRoot) {
        allowTraverse(stateDir);
        // Also migrates a datadir an older perf-lab created while running mariadbd as root.
        await handOver(dir, await serverUser(), 'mysql', address);
      }
      if (existsSync(path.join(dataDir, 'mysql'))) return;
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (asRoot) await handOver(dataDir, await serverUser(), 'mysql', address);
      const { installDb } = binaries();
      await run(installDb!, [
        '--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal',
        '--skip-test-db', ...(asRoot ? [`--user=${SERVER_USER}`] : []),
      ]);
    },
    spawnSpec() {
      return {
        command: binaries().server!,
        args: [
          '--no-defaults', `--datadir=${dataDir}`, `--socket=${socket}`, `--port=${my.port}`,
          `--bind-address=${my.host === 'localhost' ? '127.0.0.1' : my.host}`, '--skip-name-resolve',
          `--pid-file=${path.join(runDir, 'mariadbd.pid')}`, `--log-error=${logFile}`,
          // Room for several reference servers with pools of 100 each, plus the auditor.
          '--max-connections=1000', '--innodb-buffer-pool-size=1G', '--innodb-log-file-size=256M',
          '--skip-log-bin', '--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin',
          // LOAD DATA LOCAL (the seed) streams from the client; server-side file access stays off.
          '--local-infile=1', `--secure-file-priv=${runDir}`,
          ...(runningAsRoot() ? [`--user=${SERVER_USER}`] : []),
        ],
      };
    },
    async ready(timeoutMs) {
      await socketProbe(timeoutMs);
      await bootstrap();
      return probe(timeoutMs);
    },
    probe,
    async staleSetup() {
      const pid = runningPid(process_);
      if (pid !== undefined && runningAsRoot() && processUid(pid) === 0) return 'mariadbd runs as root';
      if (!existsSync(socket)) return 'its socket is not in the owner-only folder';
      return undefined;
    },
  };
}
