/**
 * What one load generator of a distributed test leaves behind (`--out partial=DIR`): its metric
 * state as mergeable data (HDR histograms encoded, counters, rates, gauges), the thresholds and
 * summary settings, its console lines, and the identity of the test it ran a segment of. Plain
 * JSON, so parts can travel through a shared volume or an object store.
 */
import type { ThresholdsInput } from '../config/k6-options.ts';
import type { MetricType, ValueType } from '../metrics/metric-types.ts';
import type { SummaryGroup } from '../metrics/group-tree.ts';
import type { AbortCause } from '../runtime/run-context.ts';
import type { TimeSeriesPoint } from '../output/progress-events.ts';
import type { RegistrySnapshot } from '../metrics/metric-snapshot.ts';

export const PARTIAL_FILES = { result: 'partial.json', console: 'console.log' } as const;

export const PARTIAL_FORMAT = 1;

/** Parts of one test agree on all of this except the segment. */
export interface PartialIdentity {
  /** sha256 of the script file the generator ran. */
  scriptHash: string;
  /** sha256 of the effective options without the segment (scenarios, thresholds, tags…). */
  optionsHash: string;
  /** The execution segment sequence all generators split over ("" when none was given). */
  sequence: string;
  /** This generator's segment, "from:to". */
  segment: string;
}

export interface PartialResult {
  format: typeof PARTIAL_FORMAT;
  identity: PartialIdentity;
  /** Every metric the script defined, sampled or not, so thresholds on an empty one still bind. */
  definitions: { name: string; type: MetricType; contains: ValueType }[];
  metrics: RegistrySnapshot;
  rootGroup: SummaryGroup;
  thresholds: ThresholdsInput;
  trendStats: string[];
  summaryTimeUnit: string;
  executionMs: number;
  /** Whether the scenarios ran (setup() succeeded); a part that did not cannot be merged. */
  executed: boolean;
  /** Why this part stopped early, if it did (test.abort(), a signal, an abortOnFail threshold…). */
  abort?: AbortCause;
  /** exec.test.fail()'s message, if the script marked this part failed. */
  failedMessage?: string;
  timeSeries: TimeSeriesPoint[];
  startedAt: string;
  finishedAt: string;
}
