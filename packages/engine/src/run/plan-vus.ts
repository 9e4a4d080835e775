/**
 * How many VUs to initialize before the test starts, as k6 does: the largest number that
 * overlapping scenarios need at once (VUs are handed from one scenario to the next), with
 * arrival-rate scenarios counted at preAllocatedVUs (the rest are initialized on demand).
 */
import { scaleInt, type SegmentStripes } from '../config/execution-segment.ts';
import { scenarioDurationMs, type Scenario } from '../config/scenarios.ts';

export function vusNeeded(s: Scenario, stripes: SegmentStripes): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
    case 'constant-vus':
      return scaleInt(stripes, s.vus);
    case 'ramping-vus':
      return scaleInt(stripes, Math.max(s.startVUs, ...s.stages.map((st) => Math.round(st.target))));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return scaleInt(stripes, s.preAllocatedVUs);
  }
}

export function planInitialVus(scenarios: readonly Scenario[], stripes: SegmentStripes): number {
  const windows = scenarios.map((s) => {
    const extra = s.executor === 'ramping-vus' ? s.gracefulRampDownMs : 0;
    return { from: s.startTimeMs, to: s.startTimeMs + scenarioDurationMs(s) + s.gracefulStopMs + extra, need: vusNeeded(s, stripes) };
  });
  let max = 0;
  for (const w of windows) {
    const at = w.from;
    const sum = windows.filter((o) => o.from <= at && at < o.to).reduce((n, o) => n + o.need, 0);
    max = Math.max(max, sum);
  }
  return max;
}
