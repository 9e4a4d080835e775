import { startCpuWindow, type CpuTarget, type RunningCpuWindow } from '@perf-lab/process-cpu';
import { SERVICE_NAMES, type PerfLabConfig } from '../config/config.ts';
import { labDriver } from '../lab/lab-services.ts';
import { runningPid } from '../lab/managed-process.ts';
import { managedServer, managedServerInstances } from '../server/reference-server.ts';

/** Component names in run.json's `cpu.perProcess`, in the order the report lists them. */
export const CPU_COMPONENTS = { server: 'server', loadGenerator: 'load generator' } as const;

/**
 * The processes a run's CPU is counted over: the reference server perf-lab started, every
 * service it manages (found by their pid files, never by name), and this process as the load
 * generator (with the k6 binary it may spawn, but not the services it happens to be parent of).
 * What perf-lab cannot see is listed as not measured, so a total never silently omits it.
 */
export function runCpuTargets(config: PerfLabConfig): CpuTarget[] {
  const server = managedServer(config);
  const targets: CpuTarget[] = [
    server && server.url === config.targetUrl
      ? { name: CPU_COMPONENTS.server, pid: server.pid }
      : { name: CPU_COMPONENTS.server, notMeasured: `the server at ${config.targetUrl} was not started by perf-lab (\`perf-lab serve\` or \`perf-lab lab\` start one it can measure)` },
  ];
  // The other instances of `serve --instances N`, each a process of its own (`server#2`, …).
  if (server && server.url === config.targetUrl) {
    for (const instance of managedServerInstances(config).slice(1)) {
      const name = `${CPU_COMPONENTS.server}#${instance.index}`;
      targets.push(instance.pid !== undefined ? { name, pid: instance.pid } : { name, notMeasured: `instance ${instance.index} was not running at the start` });
    }
  }
  for (const name of SERVICE_NAMES) {
    const driver = labDriver(config, name);
    const pid = config.managed.has(name) ? runningPid(driver.process) : undefined;
    targets.push(pid !== undefined ? { name, pid }
      : { name, notMeasured: config.managed.has(name) ? `the managed ${name} is not running` : `external service at ${driver.address}` });
  }
  const others = targets.flatMap((t) => ('pid' in t ? [t.pid] : []));
  targets.push({ name: CPU_COMPONENTS.loadGenerator, pid: process.pid, exclude: others });
  return targets;
}

/** Starts the run's CPU window over runCpuTargets. */
export function startRunCpuWindow(config: PerfLabConfig): RunningCpuWindow {
  return startCpuWindow(runCpuTargets(config));
}
