// k6 provides a global console (its output goes to --console-output or stderr);
// @types/k6 does not declare it, and the DOM lib would bring far more than k6 has.
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
