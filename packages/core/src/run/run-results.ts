import type { K6Summary } from './run-record.ts';

/** The figures a report, a gate and `run --json` share, read from k6's summary structure. */
export interface RunResults {
  readonly requests: number;
  readonly rps: number;
  readonly durationSeconds: number;
  readonly latencyMs: { readonly avg: number; readonly p50: number; readonly p90: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly successes: number;
  readonly businessFailures: number;
  readonly systemErrors: number;
  readonly businessByReason: Readonly<Record<string, number>>;
  readonly thresholds: readonly { readonly metric: string; readonly expression: string; readonly ok: boolean }[];
}

const value = (s: K6Summary, metric: string, key: string): number => s.metrics[metric]?.values[key] ?? 0;

export function runResults(summary: K6Summary): RunResults {
  // Latency of the operation under test: the successful responses (the seed's reports quote
  // these); http_req_duration would mix in the cheap 409s.
  const latencyMetric = summary.metrics['perf_lab_success_duration'] ? 'perf_lab_success_duration' : 'http_req_duration';
  const successes = value(summary, 'perf_lab_successes', 'count');
  const businessFailures = value(summary, 'perf_lab_business_failures', 'count');
  const systemErrors = value(summary, 'perf_lab_system_failures', 'count');
  const requests = successes + businessFailures + systemErrors || value(summary, 'http_reqs', 'count');
  const durationSeconds = (summary.state?.testRunDurationMs ?? 0) / 1000;
  const businessByReason: Record<string, number> = {};
  const thresholds: { metric: string; expression: string; ok: boolean }[] = [];
  for (const [name, metric] of Object.entries(summary.metrics)) {
    const reason = /^perf_lab_business_failures\{reason:(.+)\}$/.exec(name)?.[1];
    if (reason && (metric.values['count'] ?? 0) > 0) businessByReason[reason] = metric.values['count'] ?? 0;
    for (const [expression, result] of Object.entries(metric.thresholds ?? {})) {
      // count>=0 thresholds only expose per-reason sub-metrics in the summary; they are not targets.
      if (expression !== 'count>=0') thresholds.push({ metric: name, expression, ok: result.ok });
    }
  }
  return {
    requests,
    rps: durationSeconds > 0 ? requests / durationSeconds : 0,
    durationSeconds,
    latencyMs: {
      avg: value(summary, latencyMetric, 'avg'), p50: value(summary, latencyMetric, 'med'),
      p90: value(summary, latencyMetric, 'p(90)'), p95: value(summary, latencyMetric, 'p(95)'),
      p99: value(summary, latencyMetric, 'p(99)'), max: value(summary, latencyMetric, 'max'),
    },
    successes, businessFailures, systemErrors, businessByReason, thresholds,
  };
}
