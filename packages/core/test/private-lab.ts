import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig, type PerfLabConfig } from '../src/index.ts';

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

export function envOf(config: PerfLabConfig): Record<string, string> {
  return {
    PERF_LAB_STATE_DIR: config.stateDir,
    PERF_LAB_KAFKA_HOME: config.kafka.home,
    PERF_LAB_MYSQL_URL: config.mysql.url,
    PERF_LAB_REDIS_URL: config.redis.url,
    PERF_LAB_KAFKA_BROKERS: config.kafka.brokers.join(','),
    PERF_LAB_KAFKA_CONTROLLER_PORT: String(config.kafka.controllerPort),
    PERF_LAB_MANAGE: [...config.managed].join(','),
  };
}
