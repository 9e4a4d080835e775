import { METRIC_NAMES } from './metric-names.ts';

/**
 * handleSummary's output: the full k6 summary as JSON (for the CLI and the report) and a
 * short text summary on stdout. Written here rather than imported from k6's remote jslib,
 * so the bundle stays self-contained and runs where the internet does not.
 */
interface SummaryMetric {
  readonly type: string;
  readonly values: Record<string, number>;
  readonly thresholds?: Record<string, { ok: boolean }>;
}
export interface SummaryData {
  readonly metrics: Record<string, SummaryMetric>;
  readonly state?: { readonly testRunDurationMs?: number };
}

export function summaryOutputs(data: SummaryData, jsonPath: string, title: string): Record<string, string> {
  return { stdout: textSummary(data, title), [jsonPath]: JSON.stringify(data, null, 2) };
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '-' : n.toFixed(digits));

export function textSummary(data: SummaryData, title: string): string {
  const m = data.metrics;
  const v = (name: string, key: string) => m[name]?.values[key];
  const lines = [`\n  ${title}`, ''];
  const seconds = (data.state?.testRunDurationMs ?? 0) / 1000;
  lines.push(`  duration ............ ${fmt(seconds, 1)}s`);
  lines.push(`  http_reqs ........... ${v('http_reqs', 'count') ?? 0}  (${fmt(v('http_reqs', 'rate'))}/s)`);
  lines.push(`  http_req_duration ... avg ${fmt(v('http_req_duration', 'avg'))}ms  p95 ${fmt(v('http_req_duration', 'p(95)'))}ms  p99 ${fmt(v('http_req_duration', 'p(99)'))}ms  max ${fmt(v('http_req_duration', 'max'))}ms`);
  lines.push(`  successes ........... ${v(METRIC_NAMES.successes, 'count') ?? 0}`);
  lines.push(`  business failures ... ${v(METRIC_NAMES.businessFailures, 'count') ?? 0}`);
  for (const [name, metric] of Object.entries(m)) {
    const reason = /^perf_lab_business_failures\{reason:(.+)\}$/.exec(name)?.[1];
    if (reason && (metric.values['count'] ?? 0) > 0) lines.push(`    ${reason.padEnd(22, '.')} ${metric.values['count']}`);
  }
  lines.push(`  system failures ..... ${v(METRIC_NAMES.systemFailures, 'count') ?? 0}`);
  lines.push('', '  thresholds');
  for (const [name, metric] of Object.entries(m)) {
    for (const [expr, result] of Object.entries(metric.thresholds ?? {})) {
      lines.push(`    ${result.ok ? '✓' : '✗'} ${name}: ${expr}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}
