import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { ConfigOverrides } from './config.ts';
import { migrate } from './migrate.ts';

export interface RunningServer {
  readonly app: FastifyInstance;
  /** e.g. http://127.0.0.1:18080 */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Migrates (unless REF_MIGRATE_ON_START=false), builds and listens. `perf-lab serve` and the
 * bench call this; run as a script it also handles signals.
 */
export async function start(overrides: ConfigOverrides = {}): Promise<RunningServer> {
  const config = loadConfig(overrides);
  if (config.migrateOnStart) {
    const { error } = await migrate(config.mysql.url);
    if (error) throw error;
  }
  const app = await buildApp(config);
  const address = await app.listen({ host: config.host, port: config.port });
  return { app, address, close: () => app.close() };
}

async function main(): Promise<void> {
  let server: RunningServer;
  try {
    server = await start();
  } catch (err) {
    process.stderr.write(`reference-server: ${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 3);
  }
  const { app, address } = server;
  process.stdout.write(`reference-server listening on ${address} (strategy ${app.config.couponStrategy})\n`);

  // One Ctrl-C reaches this process twice: the terminal sends SIGINT to the whole process
  // group, and `perf-lab serve` forwards a SIGTERM. Both ask for the same graceful stop, so a
  // repeat is ignored; the stop itself is bounded by REF_SHUTDOWN_TIMEOUT_MS (then exit 1),
  // which is what a user pressing Ctrl-C again is waiting for anyway.
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) {
      app.log.info({ signal }, 'already stopping; signal ignored');
      return;
    }
    closing = true;
    const { shutdownTimeoutMs } = app.config.http;
    const timer = setTimeout(() => {
      process.stderr.write(`reference-server: shutdown took over ${shutdownTimeoutMs} ms, exiting\n`);
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    server.close().then(
      () => {
        process.stderr.write(`reference-server: stopped (${signal})\n`);
        process.exit(0);
      },
      (err: unknown) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
