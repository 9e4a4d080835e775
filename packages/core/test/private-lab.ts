import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labEnvironment, resolveConfig, SERVICE_NAMES, type PerfLabConfig, type ServiceName } from '../src/index.ts';
import { freePorts } from './free-port.ts';

export interface LabPorts {
  readonly mysql: number;
  readonly redis: number;
  readonly kafka: number;
  readonly controller: number;
  /** The reference server's port, for tests that start one; default the shared target. */
  readonly target?: number;
}

/**
 * A second, throw-away lab for tests that stop services: its own state folder and ports, so
 * the shared lab other test files use is never touched. Ports not given are picked free at
 * test time. With `only`, the other services are the shared lab's, used under key, topic and
 * group names of this lab alone (a cold Kafka is the slowest start). The broker jars come
 * from the main state folder that setup.sh filled.
 */
export async function privateLabConfig(given: Partial<LabPorts> = {}, only: readonly ServiceName[] = SERVICE_NAMES): Promise<PerfLabConfig> {
  const [mysql, redis, kafka, controller] = await freePorts(4);
  const ports: LabPorts = { mysql: mysql!, redis: redis!, kafka: kafka!, controller: controller!, ...given };
  const main = await resolveConfig({ file: false });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-private-'));
  const own = (name: ServiceName) => only.includes(name);
  const label = path.basename(stateDir);
  return resolveConfig({
    file: false,
    env: {},
    flags: {
      stateDir,
      kafkaHome: main.kafka.home,
      mysqlUrl: own('mysql') ? `mysql://perflab:perflab@127.0.0.1:${ports.mysql}/perf_lab` : main.mysql.url,
      redisUrl: own('redis') ? `redis://127.0.0.1:${ports.redis}` : main.redis.url,
      kafkaBrokers: own('kafka') ? `127.0.0.1:${ports.kafka}` : main.kafka.brokers.join(','),
      kafkaControllerPort: own('kafka') ? ports.controller : main.kafka.controllerPort,
      manage: only.join(','),
      ...(ports.target ? { targetUrl: `http://127.0.0.1:${ports.target}` } : {}),
      ...(own('redis') ? {} : { redisKeyPrefix: `${label}:` }),
      ...(own('kafka') ? {} : { kafkaTopicPrefix: `${label}-`, consumerGroup: label }),
    },
  });
}

/** The environment a perf-lab CLI child needs to use this lab (the library's own definition). */
export const envOf = labEnvironment;
