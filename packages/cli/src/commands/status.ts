import type { Command } from 'commander';
import { labStatus } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

/** Exit 0 only when every service answers, so `perf-lab status` works as a health check. */
export async function statusCommand(opts: { json?: boolean }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const services = await labStatus(config);
  const rows = services.map((s) => [
    s.name, s.address, s.mode, s.pid === null ? '-' : String(s.pid), s.version ?? '-',
    s.ok ? out.color.green('ok') : out.color.red(s.error ?? 'down'),
  ]);
  out.result(out.table(['service', 'address', 'mode', 'pid', 'version', 'health'], rows), {
    services: services.map((s) => ({ name: s.name, ok: s.ok, address: s.address, version: s.version, mode: s.mode, pid: s.pid, error: s.error })),
  });
  return services.every((s) => s.ok) ? ExitCode.ok : ExitCode.checkFailed;
}
