/** Folds the workers' final reports into the parent's metrics, groups, failure mark and counts. */
import type { PreparedRun } from '../run/prepare-run.ts';
import type { TimeSeriesPoint } from '../output/progress-events.ts';
import type { WorkerMessage } from './worker-protocol.ts';
import { mergeRegistry } from '../metrics/metric-snapshot.ts';

export type WorkerReport = Extract<WorkerMessage, { type: 'done' }>;

export function mergeWorkerResults(p: PreparedRun, reports: readonly WorkerReport[], series: readonly TimeSeriesPoint[]): void {
  // vus/vus_max of the whole test are the per-second sums over workers (merged gauges could not
  // tell how many ran at once), so they are rebuilt from the summed time series. The last point
  // is each worker's partial final second, sampled after its VUs stopped.
  const sampled = series.slice(0, -1);
  for (const d of reports) {
    if (sampled.length > 0) {
      delete d.metrics.vus;
      delete d.metrics.vus_max;
    }
    mergeRegistry(p.registry, d.metrics);
    p.groups.merge(d.groups);
    if (d.failedMessage) p.run.markFailed(d.failedMessage);
    p.run.stats.interruptedInFlight += d.interruptedInFlight;
  }
  for (const pt of sampled) {
    p.metrics.vus.add(pt.vus, {});
    p.metrics.vusMax.add(pt.vusMax, {});
  }
}
