import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { PerfLabConfig } from '../../config/config.ts';
import type { ServiceDriver } from '../service-driver.ts';
import { findBinary } from './find-binary.ts';

export function redisDriver(config: PerfLabConfig): ServiceDriver {
  const { redis, stateDir } = config;
  const dir = path.join(stateDir, 'redis');
  const address = `${redis.host}:${redis.port}`;

  async function probe(timeoutMs: number): Promise<string> {
    const client = new Redis(redis.url, {
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
        ],
      };
    },
    ready: probe,
    probe,
  };
}
