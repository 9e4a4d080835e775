/** Errors the k6 API throws into the script that steer the test rather than report a bug in it. */

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
