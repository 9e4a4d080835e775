import type { Command } from 'commander';
import { labUp, parseSettings, startReferenceServer } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

/** Runs the reference server against the lab until Ctrl-C, then drains it gracefully. */
export async function serveCommand(opts: { set?: string[] }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, false);
  const settings = parseSettings(opts.set ?? []);
  await labUp(config);
  const server = await startReferenceServer(config, settings.env);
  out.progress(`reference server at ${server.url} (${settings.label}); log ${server.logFile}; Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
  return ExitCode.ok;
}
