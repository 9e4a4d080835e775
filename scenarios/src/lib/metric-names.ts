/** Names of perf-lab's custom k6 metrics; also read by the CLI from summaries (no k6 import here). */
export const METRIC_NAMES = {
  successes: 'perf_lab_successes',
  businessFailures: 'perf_lab_business_failures',
  systemFailures: 'perf_lab_system_failures',
  systemFailureRate: 'perf_lab_system_failure_rate',
  successDuration: 'perf_lab_success_duration',
  businessFailureDuration: 'perf_lab_business_failure_duration',
  systemFailureDuration: 'perf_lab_system_failure_duration',
} as const;

/** Prefix of the per-operation lines (console.log) the audit reads: `perf-lab-op op k=v …`. */
export const OP_LOG_PREFIX = 'perf-lab-op';
