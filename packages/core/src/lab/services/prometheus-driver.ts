/**
 * The lab's optional Prometheus (`perf-lab up --with prometheus`), from the Debian package: its
 * own config and TSDB under the state folder, bound to 127.0.0.1, with the remote-write receiver
 * enabled so the engine's `--out experimental-prometheus-rw` can push to it. It scrapes nothing.
 * Started as the package's `prometheus` user when perf-lab runs as root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PerfLabConfig } from '../../config/config.ts';
import type { ServiceDriver } from '../service-driver.ts';
import { findBinary } from './find-binary.ts';
import { allowTraverse, handOver, runningAsRoot, systemUser, type SystemUser } from './system-user.ts';

const SERVER_USER = 'prometheus';

export function prometheusDriver(config: PerfLabConfig): ServiceDriver {
  const { prometheus, stateDir } = config;
  const dir = path.join(stateDir, 'prometheus');
  const address = `${prometheus.host}:${prometheus.port}`;
  let user: SystemUser | undefined;

  async function probe(timeoutMs: number): Promise<string> {
    const ready = await fetch(`${prometheus.url}/-/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!ready.ok) throw new Error(`/-/ready answered HTTP ${ready.status}`);
    const info = await fetch(`${prometheus.url}/api/v1/status/buildinfo`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await info.json()) as { data?: { version?: string } };
    return body.data?.version ?? 'unknown';
  }

  return {
    name: 'prometheus',
    address,
    process: { pidFile: path.join(dir, 'prometheus.pid'), logFile: path.join(dir, 'prometheus.log'), marker: dir },
    missingInstall() {
      return findBinary(['prometheus'])
        ? undefined
        : 'Prometheus is not installed — run `bash scripts/setup.sh` (Debian/Ubuntu: `sudo apt-get install prometheus`; macOS: `brew install prometheus`)';
    },
    async prepare() {
      mkdirSync(path.join(dir, 'data'), { recursive: true });
      // Nothing to scrape: the lab's Prometheus only receives what the engine writes to it.
      writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
      if (runningAsRoot()) {
        user = await systemUser(SERVER_USER, 'prometheus', address);
        allowTraverse(stateDir);
        await handOver(path.join(dir, 'data'), user, 'prometheus', address);
      }
    },
    spawnSpec() {
      return {
        command: findBinary(['prometheus'])!,
        args: [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=${address}`,
          '--web.enable-remote-write-receiver',
          // Lab data: a week is plenty, and it keeps the state folder small.
          '--storage.tsdb.retention.time=7d',
        ],
        cwd: dir,
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      };
    },
    ready: (timeoutMs) => probe(timeoutMs),
    probe: (timeoutMs) => probe(timeoutMs),
  };
}
