/** perf-lab's exit codes, documented in README.md; k6's own codes are mapped onto these. */
export const ExitCode = {
  ok: 0,
  /** A check failed: audit violation, threshold failure, gate regression. */
  checkFailed: 1,
  /** Bad flags or config, or a service/file the command needs is missing or unreachable. */
  usageOrEnvironment: 2,
  /** The verdict could not be decided (e.g. Kafka lag never drained within the bound). */
  unknown: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
