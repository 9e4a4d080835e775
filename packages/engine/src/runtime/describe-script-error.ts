/** How an error thrown by script code is logged, k6-style: the message and the script's own stack
 * lines (the engine's frames and the per-VU import query are left out). */
export function describeScriptError(err: unknown): string {
  if (err instanceof Error) {
    const stack = (err.stack ?? '')
      .split('\n')
      .slice(1)
      // The engine's frames, Node's, and the engine's own Promise.all/race over VUs.
      .filter((l) => !l.includes('/packages/engine/src/') && !l.includes('node:internal') && !/^\s*at async Promise\.\w+ \(index \d+\)$/.test(l))
      .map((l) => l.replace(/[?&]perf-lab-(run|vu)=[^&:)]*/g, ''))
      .join('\n');
    return stack ? `${err.name}: ${err.message}\n${stack}` : `${err.name}: ${err.message}`;
  }
  return `Uncaught (in promise) ${String(err)}`;
}
