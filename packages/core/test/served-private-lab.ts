import { afterAll, beforeAll } from 'vitest';
import { labDown, labUp, seed, startReferenceServer, SERVICE_NAMES, type PerfLabConfig, type RunningServer, type ServiceName } from '../src/index.ts';
import { freePort } from './free-port.ts';
import { privateLabConfig } from './private-lab.ts';

export interface ServedLab {
  readonly config: PerfLabConfig;
  readonly server: RunningServer;
}

/**
 * A private lab (see privateLabConfig; `only` the services it runs itself) with the reference
 * server started on a free port and a small seed, for a test file that runs scenarios against
 * it; stopped and wiped after the file. Read `config` and `server` inside the tests.
 */
export function useServedPrivateLab(only: readonly ServiceName[] = SERVICE_NAMES): ServedLab {
  let config: PerfLabConfig | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    config = await privateLabConfig({ target: await freePort() }, only);
    await labUp(config);
    server = await startReferenceServer(config);
    await seed(config, { plan: { users: 300, couponStock: 100_000 } });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    if (config) await labDown(config, { wipe: true });
  }, 120_000);
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the served private lab has no ${what}: its beforeAll failed`);
    return value;
  };
  return {
    get config() { return ready(config, 'config'); },
    get server() { return ready(server, 'server'); },
  };
}
