/**
 * `k6 run [k6 flags] script` on the embedded engine, with k6's flags and exit codes. Core hands
 * it to the CLI so the CLI never imports the engine itself; the engine is loaded only when a
 * user's script is run.
 */
export async function runK6CommandLine(args: readonly string[]): Promise<number> {
  const { k6Cli } = await import('@perf-lab/engine/cli');
  return k6Cli([...args]);
}
