/**
 * Typed errors of the library. Each carries the exit-code class the CLI maps it to, so
 * callers never parse messages to decide what happened.
 */
export const ErrorKind = {
  /** Bad flags, bad config values: the user must change something they typed. */
  usage: 'usage',
  /** A service or file the command needs is missing or unreachable. */
  environment: 'environment',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export class PerfLabError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PerfLabError';
    this.kind = kind;
  }
}

export class ConfigError extends PerfLabError {
  constructor(message: string) {
    super(ErrorKind.usage, message);
    this.name = 'ConfigError';
  }
}

/** A service that is down or misbehaving, always named with its address. */
export class ServiceError extends PerfLabError {
  readonly service: string;
  readonly address: string;
  constructor(service: string, address: string, message: string, options?: { cause?: unknown }) {
    super(ErrorKind.environment, message, options);
    this.name = 'ServiceError';
    this.service = service;
    this.address = address;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    // AggregateError (happy-eyeballs connect failures) carries the useful text in its parts.
    if (!err.message && err instanceof AggregateError && err.errors.length > 0) {
      return errorMessage(err.errors[0]);
    }
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message || String(code ?? err.name);
  }
  return String(err);
}
