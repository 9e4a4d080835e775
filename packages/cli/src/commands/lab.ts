import type { Command } from 'commander';
import { labStatus, labUp } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

/**
 * The whole job in one command. Today: bring the lab up and show its status; seed, run,
 * audit and report join as they land.
 */
export async function labCommand(opts: { json?: boolean }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  await labUp(config, { onEvent: (e) => out.progress(`${e.service}: ${e.action} (${e.address}, ${e.version})`) });
  const services = await labStatus(config);
  const rows = services.map((s) => [s.name, s.address, s.version ?? '-', s.ok ? out.color.green('ok') : out.color.red(s.error ?? 'down')]);
  out.result(out.table(['service', 'address', 'version', 'health'], rows), { services });
  return services.every((s) => s.ok) ? ExitCode.ok : ExitCode.checkFailed;
}
