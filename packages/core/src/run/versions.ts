import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { PerfLabConfig } from '../config/config.ts';
import { labStatus } from '../lab/lab.ts';

/** Versions and machine facts a report names, so its figures can be reproduced. */
export async function collectVersions(config: PerfLabConfig): Promise<Record<string, string>> {
  const services = await labStatus(config).catch(() => []);
  const versions: Record<string, string> = {
    'perf-lab commit': gitCommit(),
    node: process.version,
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  };
  for (const s of services) versions[s.name] = s.version ?? 'unreachable';
  return versions;
}

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
