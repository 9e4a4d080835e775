import type { Command } from 'commander';
import { runK6CommandLine } from '@perf-lab/core';

/**
 * `perf-lab k6 run [k6 flags] script.js|script.ts`: k6's command line on the embedded engine, with
 * k6's flags and k6's exit codes (not perf-lab's: a CI job written for `k6 run` keeps working).
 * TypeScript is bundled with esbuild on the fly.
 */
export async function k6Command(_args: string[], _opts: unknown, command: Command): Promise<number> {
  return runK6CommandLine(command.args);
}
