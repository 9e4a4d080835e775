/**
 * Fail fast on errors of the script's own making. k6 logs an iteration's exception and goes on;
 * an exception that every iteration will throw (an unsupported API, a TypeError in the first
 * iteration before any iteration has succeeded) then prints the same stack trace for the whole
 * duration and can still exit 0. The engine stops the test instead, with k6's exit code for
 * script errors (107) and the error once.
 */
import { UnsupportedApiError } from '../modules/script-errors.ts';
import type { RunContext } from './run-context.ts';

const failedIterations = new WeakMap<RunContext, number>();

/** Programming errors: a wrong name, a wrong type, a bad JSON body the script insists on parsing. */
const RECURRING = [TypeError, ReferenceError, SyntaxError, RangeError] as const;

/** Called for each iteration that threw; aborts the run when the error will recur. */
export function stopOnRecurringError(run: RunContext, err: unknown, description: string): void {
  const failed = (failedIterations.get(run) ?? 0) + 1;
  failedIterations.set(run, failed);
  const succeeded = run.stats.iterationsCompleted - (failed - 1);
  let reason: string | undefined;
  if (err instanceof UnsupportedApiError) reason = 'it uses an API the perf-lab engine does not support';
  else if (succeeded === 0 && RECURRING.some((t) => err instanceof t)) reason = 'it failed before any iteration succeeded, so it would fail every iteration';
  if (reason === undefined || run.aborted) return;
  run.abort({ kind: 'script-error', message: `the script's iteration threw an error and the test was stopped, as ${reason}: ${description}` });
}
