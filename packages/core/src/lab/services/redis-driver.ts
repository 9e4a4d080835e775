import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { PerfLabConfig } from '../../config/config.ts';
import type { ServiceDriver } from '../service-driver.ts';
import { findBinary } from './find-binary.ts';

export function redisDriver(config: PerfLabConfig): ServiceDriver {
  const { redis, stateDir } = config;
  const dir = path.join(stateDir, 'redis');
  const address = `${redis.host}:${redis.port}`;
  const aclFile = path.join(dir, 'users.acl');

  async function probe(timeoutMs: number, url = redis.url): Promise<string> {
    const client = new Redis(url, {
      lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0,
      enableOfflineQueue: false, retryStrategy: () => null,
    });
    // ioredis rejects connect() with a generic "Connection is closed"; the socket's own error
    // (ECONNREFUSED, ETIMEDOUT) arrives on the 'error' event and says more.
    let socketError: unknown;
    client.on('error', (err: unknown) => (socketError = err));
    try {
      await client.connect().catch((err: unknown) => {
        throw socketError ?? err;
      });
      if ((await client.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
      const info = await client.info('server');
      return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    } finally {
      client.disconnect();
    }
  }

  return {
    name: 'redis',
    address,
    process: { pidFile: path.join(dir, 'redis.pid'), logFile: path.join(dir, 'redis.log'), marker: dir },
    missingInstall() {
      return findBinary(['redis-server'])
        ? undefined
        : 'Redis server is not installed — run `bash scripts/setup.sh` (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`)';
    },
    async prepare() {
      mkdirSync(dir, { recursive: true });
      writeAclFile(aclFile, new URL(redis.url));
    },
    spawnSpec() {
      return {
        command: findBinary(['redis-server'])!,
        args: [
          '--port', String(redis.port), '--bind', redis.host === 'localhost' ? '127.0.0.1' : redis.host,
          // Keep the real command line (and so the state dir) visible: the pid file check relies on it.
          '--dir', dir, '--daemonize', 'no', '--set-proc-title', 'no', '--protected-mode', 'yes',
          // AOF so a Redis restart mid-run (a planned fault test) keeps stock counters and dedupe sets.
          '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '',
          '--maxclients', '10000',
          // The users and their password hash come from a file, never the command line `ps` shows.
          '--aclfile', aclFile,
        ],
      };
    },
    ready: (timeoutMs) => probe(timeoutMs),
    probe: (timeoutMs) => probe(timeoutMs),
    async staleSetup(timeoutMs) {
      const open = new URL(redis.url);
      open.username = '';
      open.password = '';
      const answered = await probe(timeoutMs, open.toString()).then(() => true, () => false);
      return answered ? 'it answers without a password' : undefined;
    },
  };
}

/**
 * The lab's Redis user (see LAB_REDIS_USER): everything the server, seed, audit and tests do, nothing that
 * administers the server (CONFIG, DEBUG, SHUTDOWN, MONITOR, ACL, replication, module loading),
 * and no FLUSHALL, which would wipe other labs' keys. The password is stored as its SHA-256.
 */
function writeAclFile(file: string, url: URL): void {
  const user = decodeURIComponent(url.username) || 'default';
  const hash = createHash('sha256').update(decodeURIComponent(url.password)).digest('hex');
  const rules = `on #${hash} ~* &* +@all -@admin -flushall`;
  const lines = user === 'default' ? [`user default ${rules}`] : ['user default off', `user ${user} ${rules}`];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
