import type { PerfLabConfig, ServiceName } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { labDriver } from '../lab/lab-services.ts';
import { labUp } from '../lab/lab.ts';
import { delay, isAlive, runningPid } from '../lab/managed-process.ts';
import { managedServerInstances, restartReferenceServer, serverHealthy } from '../server/reference-server.ts';
import { faultVictimName, type FaultSpec, type FaultTarget } from './fault-spec.ts';

/** One process a fault may hit: always one perf-lab started and finds by its own pid file. */
export interface FaultVictim {
  readonly target: FaultTarget;
  /** The pid running now, or undefined when it is not running. */
  pid(): number | undefined;
  /** Starts it again after a kill, the way perf-lab started it; resolves once it serves. */
  restart(): Promise<void>;
  /** True once it answers real requests again (after a pause, a restart). */
  answers(): Promise<boolean>;
}

/**
 * Resolves every fault's target before the run starts, refusing what perf-lab does not manage:
 * an external MySQL/Redis/Kafka, or a server perf-lab did not start (or one on another address).
 */
export function faultVictims(config: PerfLabConfig, faults: readonly FaultSpec[]): Map<string, FaultVictim> {
  const victims = new Map<string, FaultVictim>();
  for (const fault of faults) {
    const name = faultVictimName(fault);
    if (victims.has(name)) continue;
    victims.set(name, fault.target === 'server' ? serverVictim(config, fault.text, fault.instance ?? 1) : serviceVictim(config, fault.target, fault.text));
  }
  return victims;
}

/** The part of faultVictims that needs nothing running: for refusing a job before it starts anything. */
export function refuseUnmanagedFaults(
  config: PerfLabConfig, faults: readonly Pick<FaultSpec, 'text' | 'target' | 'instance'>[], options: { serverStartedHere: boolean; serverInstances?: number },
): void {
  for (const { target, text, instance } of faults) {
    if (target === 'server' && !options.serverStartedHere) {
      throw new ConfigError(`fault "${text}": this job tests a server perf-lab does not start, and perf-lab never kills a server it did not start`);
    }
    if (target === 'server' && (instance ?? 1) > (options.serverInstances ?? 1)) {
      throw new ConfigError(noSuchInstance(text, instance ?? 1, options.serverInstances ?? 1));
    }
    if (target !== 'server' && !config.managed.has(target)) {
      throw new ConfigError(`fault "${text}": ${target} at ${labDriver(config, target).address} is an external service — perf-lab only injects faults into services it manages (PERF_LAB_MANAGE)`);
    }
  }
}

function serviceVictim(config: PerfLabConfig, name: ServiceName, fault: string): FaultVictim {
  const driver = labDriver(config, name);
  refuseUnmanagedFaults(config, [{ text: fault, target: name }], { serverStartedHere: false });
  if (runningPid(driver.process) === undefined) {
    throw new ConfigError(`fault "${fault}": the managed ${name} is not running — run \`perf-lab up\` first`);
  }
  return {
    target: name,
    pid: () => runningPid(driver.process),
    restart: async () => void (await labUp(config, { only: [name] })),
    answers: () => driver.probe(2000).then(() => true, () => false),
  };
}

const noSuchInstance = (fault: string, instance: number, count: number): string =>
  `fault "${fault}": there is no server instance ${instance} — the server runs ${count} instance${count === 1 ? '' : 's'} ` +
  `(server#1${count > 1 ? `..server#${count}` : ''}); start more with --set instances=N`;

function serverVictim(config: PerfLabConfig, fault: string, index: number): FaultVictim {
  const instances = managedServerInstances(config);
  const server = instances[0]?.pid === undefined ? undefined : instances[0];
  if (!server) {
    throw new ConfigError(`fault "${fault}": no reference server perf-lab started is running under ${config.stateDir} — ` +
      'start one with `perf-lab serve` (or use `perf-lab lab`, which starts its own); perf-lab never kills a server it did not start');
  }
  if (server.url !== config.targetUrl) {
    throw new ConfigError(`fault "${fault}": the reference server perf-lab started listens at ${server.url}, but this run targets ${config.targetUrl}`);
  }
  const instance = instances.find((i) => i.index === index);
  if (!instance) throw new ConfigError(noSuchInstance(fault, index, instances.length));
  return {
    target: 'server',
    pid: () => managedServerInstances(config).find((i) => i.index === index)?.pid,
    restart: async () => void (await restartReferenceServer(config, config.startTimeoutMs, index)),
    answers: () => serverHealthy(instance.url),
  };
}

/** SIGKILL, then waits (bounded) until the process is gone, so a restart never races it. */
export async function killNow(pid: number): Promise<void> {
  signal(pid, 'SIGKILL');
  const until = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < until) await delay(20);
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
