import type { FaultRecord } from '@perf-lab/core';

const seconds = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** One line per injected fault for the human summary of run and lab. */
export function faultLines(faults: readonly FaultRecord[]): string[] {
  return faults.map((f) => {
    const back = f.serverBackMs !== null && f.endMs !== null ? `, server serving again ${seconds(f.serverBackMs - f.endMs)} after` : '';
    return `fault ${f.fault}: ${f.outcome}, from ${seconds(f.startMs)} to ${seconds(f.endMs)}${back}${f.error ? ` (${f.error})` : ''}`;
  });
}

/**
 * A fault run proves something only if every fault happened and its target came back: one
 * that was never reached, failed, or left its target down fails the run (exit 1), saying so,
 * rather than passing green without the fault the user asked for.
 */
export function faultsFailed(faults: readonly FaultRecord[]): string | undefined {
  const bad = faults.filter((f) => f.outcome !== 'recovered');
  if (bad.length === 0) return undefined;
  const hint = bad.some((f) => f.outcome === 'not-reached') ? ' — a fault not reached was due after the load ended: schedule it earlier or run longer' : '';
  return `${bad.length} of ${faults.length} fault(s) did not happen as asked (${bad.map((f) => `${f.fault}: ${f.outcome}`).join(', ')})${hint}`;
}
