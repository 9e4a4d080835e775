import { Counter, Rate, Trend } from 'k6/metrics';
import type { Classification } from './classify.ts';
import { METRIC_NAMES } from './metric-names.ts';

/** perf-lab's custom metrics, prefixed so they never collide with k6's or a user's own. */
const successes = new Counter(METRIC_NAMES.successes);
const businessFailures = new Counter(METRIC_NAMES.businessFailures);
const systemFailures = new Counter(METRIC_NAMES.systemFailures);
const systemFailureRate = new Rate(METRIC_NAMES.systemFailureRate);
const durations = {
  success: new Trend(METRIC_NAMES.successDuration, true),
  business: new Trend(METRIC_NAMES.businessFailureDuration, true),
  system: new Trend(METRIC_NAMES.systemFailureDuration, true),
};

export function record(c: Classification, durationMs: number, operation: string): void {
  const tags = { reason: c.reason, operation };
  if (c.cls === 'success') successes.add(1, tags);
  else if (c.cls === 'business') businessFailures.add(1, tags);
  else systemFailures.add(1, tags);
  systemFailureRate.add(c.cls === 'system', { operation });
  durations[c.cls].add(durationMs, { operation });
}
