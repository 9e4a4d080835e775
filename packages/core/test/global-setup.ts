import { labDown, labStatus, labUp, resolveConfig, SERVICE_NAMES } from '../src/index.ts';
import type { ServiceName } from '../src/index.ts';

const isCoreService = (name: string): name is ServiceName => (SERVICE_NAMES as readonly string[]).includes(name);

/**
 * Vitest global setup: the test run needs the real MySQL, Redis and Kafka. Whatever was
 * already running is left running; what this run started, it stops.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const config = await resolveConfig();
  const before = await labStatus(config);
  // The core services only: an optional one (Prometheus) is started by the tests that need it.
  const startedHere = before.flatMap((s) => (s.mode === 'managed' && s.pid === null && isCoreService(s.name) ? [s.name] : []));
  await labUp(config);
  // The lab's Redis requires its per-lab password; test files that read PERF_LAB_REDIS_URL
  // themselves (the reference server's) get the URL that carries it. Workers inherit this env.
  process.env['PERF_LAB_REDIS_URL'] = config.redis.url;
  // Setting a service's URL makes it external unless PERF_LAB_MANAGE says otherwise: keep the
  // lab's services managed for the test files (a URL that carries the password is kept as is).
  process.env['PERF_LAB_MANAGE'] = [...config.managed].join(',');
  return async () => {
    if (startedHere.length > 0) await labDown(config, { only: startedHere });
  };
}
