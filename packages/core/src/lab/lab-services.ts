import type { PerfLabConfig, ServiceName } from '../config/config.ts';
import type { ServiceDriver } from './service-driver.ts';
import { kafkaDriver } from './services/kafka-driver.ts';
import { mysqlDriver } from './services/mysql-driver.ts';
import { redisDriver } from './services/redis-driver.ts';

export function labDrivers(config: PerfLabConfig): ServiceDriver[] {
  return [mysqlDriver(config), redisDriver(config), kafkaDriver(config)];
}

export function labDriver(config: PerfLabConfig, name: ServiceName): ServiceDriver {
  const driver = labDrivers(config).find((d) => d.name === name);
  if (!driver) throw new Error(`unknown service ${name}`);
  return driver;
}
