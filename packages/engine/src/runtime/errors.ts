/** Errors that steer the test rather than report a bug in the script. */

/** Thrown by exec.test.abort(): stops the whole test, exit code 108. */
export class TestAbortedError extends Error {
  override readonly name = 'TestAbortedError';
}

/** Thrown by k6's fail(): ends the current iteration only. */
export class FailError extends Error {
  override readonly name = 'GoError';
}

/** Thrown when a synchronous k6 API the engine cannot honour is called. */
export class UnsupportedApiError extends Error {
  override readonly name = 'UnsupportedApiError';
}

/** How an error from script code is shown, k6-style: message plus the script's stack lines. */
export function describeScriptError(err: unknown): string {
  if (err instanceof Error) {
    const stack = (err.stack ?? '')
      .split('\n')
      .slice(1)
      .filter((l) => !l.includes('/packages/engine/src/') && !l.includes('node:internal'))
      .map((l) => l.replace(/[?&]perf-lab-(run|vu)=[^&:)]*/g, ''))
      .join('\n');
    return stack ? `${err.name}: ${err.message}\n${stack}` : `${err.name}: ${err.message}`;
  }
  return `Uncaught (in promise) ${String(err)}`;
}
