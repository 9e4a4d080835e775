import { isLocalHost, pidListeningOn, startCpuWindow, type CpuTarget, type RunningCpuWindow } from '@perf-lab/process-cpu';
import type { AppConfig } from '../src/config.ts';

/**
 * The benchmarks' CPU window: the server child they spawned, the MariaDB, Redis and Kafka they
 * load (found by the port they listen on — a bench has no pid files), and this process, the
 * load generator. A service on another host, or one whose process cannot be read, is not measured.
 */
export function startBenchCpuWindow(config: AppConfig, serverPid: number | undefined, services: readonly ('mysql' | 'redis' | 'kafka')[] = ['mysql', 'redis', 'kafka']): RunningCpuWindow {
  const addresses = {
    mysql: hostPort(config.mysql.url, 3306),
    redis: hostPort(config.redis.url, 6379),
    kafka: hostPort(`kafka://${config.kafka.brokers[0] ?? ''}`, 9092),
  };
  const targets: CpuTarget[] = serverPid === undefined ? [] : [{ name: 'server', pid: serverPid }];
  for (const name of services) {
    const { host, port } = addresses[name];
    const pid = isLocalHost(host) ? pidListeningOn(port) : undefined;
    targets.push(pid !== undefined ? { name, pid }
      : { name, notMeasured: isLocalHost(host) ? `no readable process listens on port ${port}` : `external service at ${host}:${port}` });
  }
  const others = targets.flatMap((t) => ('pid' in t ? [t.pid] : []));
  targets.push({ name: 'load generator', pid: process.pid, exclude: others });
  return startCpuWindow(targets);
}

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || defaultPort) };
}
