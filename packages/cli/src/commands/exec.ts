import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Command } from 'commander';
import { ConfigError, labEnvironment } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

/**
 * Runs a command with the lab's addresses in its environment — the Redis URL with the lab's
 * password among them — so scripts outside perf-lab (the reference server's benches, a user's
 * own tools) reach the lab without the secret ever being printed or typed.
 */
export async function execCommand(commandLine: string[], _opts: unknown, command: Command): Promise<number> {
  const { config } = await commandContext(command, false);
  const [program, ...args] = commandLine;
  if (!program) throw new ConfigError('nothing to run — e.g. `perf-lab exec -- npm run bench:coupon`');
  const child = spawn(program, args, { stdio: 'inherit', env: { ...process.env, ...labEnvironment(config) } });
  // The child shares the terminal's process group: Ctrl-C (and a closed terminal) reach it
  // directly, so forwarding them would signal it twice; this process just waits for its exit.
  // Only a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new ConfigError(`cannot run ${program}: ${err.message}`)));
    // A child killed by a signal exits the shell way, 128 + the signal's number.
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : ExitCode.unknown)));
  });
}
