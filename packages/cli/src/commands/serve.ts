import type { Command } from 'commander';
import { labUp, managedServerInstances, parseSettings, startReferenceServer } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

/** How long serve waits for a server that is gone (a fault restarts it within this) before giving up. */
const GONE_LIMIT_MS = 90_000;
const CHECK_MS = 1000;

/** Runs the reference server (N instances with --instances) against the lab until Ctrl-C, then drains it gracefully. */
export async function serveCommand(opts: { set?: string[]; instances?: number }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, false);
  const settings = parseSettings([...(opts.set ?? []), ...(opts.instances !== undefined ? [`instances=${opts.instances}`] : [])]);
  // Listening before anything starts: a Ctrl-C during start-up also ends in one graceful stop.
  let signalled: () => void = () => undefined;
  const stopAsked = new Promise<'signal'>((resolve) => (signalled = () => resolve('signal')));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => signalled());
  await labUp(config);
  const server = await startReferenceServer(config, settings.env, { instances: settings.instances });
  out.progress(`reference server at ${server.urls.join(', ')} (${settings.label}); log ${server.logFile}; Ctrl-C stops it`);
  // The server runs in a session of its own, so the terminal's Ctrl-C reaches only this process,
  // which asks the server once to drain; were this process killed outright, the server notices
  // its owner is gone and drains itself. The interval also keeps this process alive.
  let goneSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<'gone'>((resolve) => {
    timer = setInterval(() => {
      goneSince = managedServerInstances(config).some((i) => i.pid !== undefined) ? undefined : goneSince ?? Date.now();
      if (goneSince !== undefined && Date.now() - goneSince > GONE_LIMIT_MS) resolve('gone');
    }, CHECK_MS);
  });
  const ended = await Promise.race([stopAsked, gone]);
  clearInterval(timer);
  if (ended === 'gone') {
    out.progress(`the reference server exited and did not come back within ${GONE_LIMIT_MS / 1000} s; see ${server.logFile}`);
    return ExitCode.unknown;
  }
  out.progress('stopping the reference server (it drains in-flight work first)');
  await server.stop();
  return ExitCode.ok;
}
