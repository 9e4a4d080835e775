import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labEnvironment, resolveConfig, type PerfLabConfig } from '../src/index.ts';

/**
 * A second, throw-away lab for tests that stop services: its own state folder and ports, so
 * the shared lab other test files use is never touched. The broker jars come from the main
 * state folder that setup.sh filled.
 */
export async function privateLabConfig(ports: { mysql: number; redis: number; kafka: number; controller: number; target?: number }): Promise<PerfLabConfig> {
  const main = await resolveConfig({ file: false });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-private-'));
  return resolveConfig({
    file: false,
    env: {},
    flags: {
      stateDir,
      kafkaHome: main.kafka.home,
      mysqlUrl: `mysql://perflab:perflab@127.0.0.1:${ports.mysql}/perf_lab`,
      redisUrl: `redis://127.0.0.1:${ports.redis}`,
      kafkaBrokers: `127.0.0.1:${ports.kafka}`,
      kafkaControllerPort: ports.controller,
      manage: 'mysql,redis,kafka',
      ...(ports.target ? { targetUrl: `http://127.0.0.1:${ports.target}` } : {}),
    },
  });
}

/** The environment a perf-lab CLI child needs to use this lab (the library's own definition). */
export const envOf = labEnvironment;
