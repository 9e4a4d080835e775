import type { Command } from 'commander';
import { labUp, type UpEvent } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function upCommand(opts: { json?: boolean }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const started = performance.now();
  const events = await labUp(config, { onEvent: (e) => out.progress(describe(e, out.color.green)) });
  const seconds = (performance.now() - started) / 1000;
  out.result(`lab is up in ${seconds.toFixed(2)}s (state in ${config.stateDir})`, { seconds, services: events });
  return ExitCode.ok;
}

function describe(e: UpEvent, ok: (s: string) => string): string {
  const what = e.action === 'started' ? `started in ${e.seconds.toFixed(1)}s`
    : e.action === 'already-running' ? 'already running' : 'external, reachable';
  return `${ok('✓')} ${e.service.padEnd(6)} ${e.address.padEnd(16)} ${e.version.padEnd(28)} ${what}`;
}
