import type { PerfLabConfig, ServiceName } from '../config/config.ts';
import type { ServiceDriver } from './service-driver.ts';
import { kafkaDriver } from './services/kafka-driver.ts';
import { mysqlDriver } from './services/mysql-driver.ts';
import { prometheusDriver } from './services/prometheus-driver.ts';
import { redisDriver } from './services/redis-driver.ts';

/** Services the lab starts only when asked (`perf-lab up --with prometheus`); always its own. */
export const OPTIONAL_SERVICE_NAMES = ['prometheus'] as const;
export type OptionalServiceName = (typeof OPTIONAL_SERVICE_NAMES)[number];
export type LabServiceName = ServiceName | OptionalServiceName;

/** The core services, which every run needs (each driver's name is its own service's). */
export function labDrivers(config: PerfLabConfig): ServiceDriver<ServiceName>[] {
  return [mysqlDriver(config), redisDriver(config), kafkaDriver(config)] as ServiceDriver<ServiceName>[];
}

export function optionalDrivers(config: PerfLabConfig, names: readonly OptionalServiceName[] = OPTIONAL_SERVICE_NAMES): ServiceDriver[] {
  return names.includes('prometheus') ? [prometheusDriver(config)] : [];
}

/** perf-lab starts and stops it: a core service the user left to it, or an optional one. */
export function isManaged(config: PerfLabConfig, name: LabServiceName): boolean {
  return (OPTIONAL_SERVICE_NAMES as readonly string[]).includes(name) || config.managed.has(name as ServiceName);
}

export function labDriver(config: PerfLabConfig, name: LabServiceName): ServiceDriver {
  const driver = [...labDrivers(config), ...optionalDrivers(config)].find((d) => d.name === name);
  if (!driver) throw new Error(`unknown service ${name}`);
  return driver;
}
