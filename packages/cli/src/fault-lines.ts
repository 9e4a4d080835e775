import type { FaultRecord } from '@perf-lab/core';

const seconds = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** One line per injected fault for the human summary of run and lab. */
export function faultLines(faults: readonly FaultRecord[]): string[] {
  return faults.map((f) => {
    const back = f.serverBackMs !== null && f.endMs !== null ? `, server serving again ${seconds(f.serverBackMs - f.endMs)} after` : '';
    return `fault ${f.fault}: ${f.outcome}, from ${seconds(f.startMs)} to ${seconds(f.endMs)}${back}${f.error ? ` (${f.error})` : ''}`;
  });
}
