/**
 * How many VUs to initialize before the test starts, as k6 does: the largest number that
 * overlapping scenarios need at once (VUs are handed from one scenario to the next), with
 * arrival-rate scenarios counted at preAllocatedVUs (the rest are initialized on demand).
 */
import type { SegmentStripes } from '../config/execution-segment.ts';
import { initialVUs, scenarioHoldMs, type Scenario } from '../executors/executor-types.ts';

export function planInitialVus(scenarios: readonly Scenario[], stripes: SegmentStripes): number {
  const windows = scenarios.map((s) => ({ from: s.startTimeMs, to: s.startTimeMs + scenarioHoldMs(s), need: initialVUs(s, stripes) }));
  let max = 0;
  for (const w of windows) {
    const at = w.from;
    const sum = windows.filter((o) => o.from <= at && at < o.to).reduce((n, o) => n + o.need, 0);
    max = Math.max(max, sum);
  }
  return max;
}
