/** The engine's entry point: one process, or `workers` processes on execution segments. */
import { runLocal } from './run/run-local.ts';
import type { RunOptions, RunResult } from './run/run-options.ts';
import { runWithWorkers } from './workers/run-workers.ts';

export async function run(options: RunOptions): Promise<RunResult> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  return workers > 1 ? runWithWorkers(options) : runLocal(options);
}
