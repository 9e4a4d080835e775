export { resolveConfig, isLoopback, SERVICE_NAMES, CONFIG_FILES } from './config/config.ts';
export type { ConfigInput, PerfLabConfig, ServiceName, ResolveOptions, MysqlConfig } from './config/config.ts';
export { PerfLabError, ConfigError, ServiceError, ErrorKind, errorMessage } from './errors.ts';
export { labUp, labDown, labStatus, labLogs } from './lab/lab.ts';
export type { ServiceStatus, UpEvent, UpOptions, DownResult } from './lab/lab.ts';
