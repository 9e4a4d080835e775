import type { Command } from 'commander';
import { ConfigError, labUp, OPTIONAL_SERVICE_NAMES, type OptionalServiceName, type UpEvent } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function upCommand(opts: { json?: boolean; with?: string[] }, command: Command): Promise<number> {
  const extra = optionalServices(opts.with ?? []);
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const started = performance.now();
  const events = await labUp(config, { with: extra, onEvent: (e) => out.progress(describe(e, out.color.green)) });
  const seconds = (performance.now() - started) / 1000;
  out.result(`lab is up in ${seconds.toFixed(2)}s (state in ${config.stateDir})`, { seconds, services: events });
  return ExitCode.ok;
}

function optionalServices(names: readonly string[]): OptionalServiceName[] {
  const list = names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  for (const n of list) {
    if (!(OPTIONAL_SERVICE_NAMES as readonly string[]).includes(n)) {
      throw new ConfigError(`--with ${n}: not an optional service — choose from ${OPTIONAL_SERVICE_NAMES.join(', ')} (MariaDB, Redis and Kafka always start)`);
    }
  }
  return list as OptionalServiceName[];
}

function describe(e: UpEvent, ok: (s: string) => string): string {
  const what = e.action === 'started' ? `started in ${e.seconds.toFixed(1)}s`
    : e.action === 'already-running' ? 'already running' : 'external, reachable';
  return `${ok('✓')} ${e.service.padEnd(10)} ${e.address.padEnd(16)} ${e.version.padEnd(28)} ${what}`;
}
