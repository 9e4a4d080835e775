import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditReport } from '../audit/audit.ts';
import { ConfigError } from '../errors.ts';
import { table, num, ms } from '../report/markdown.ts';
import { gateCharts } from './gate-charts.ts';
import { RUN_FILES, loadRun } from '../run/run-record.ts';
import { runResults } from '../run/run-results.ts';
import { DEFAULT_BASELINE_RUNS, readBaseline, withRun, writeBaseline, type Baseline } from './baseline.ts';

export interface GateTolerances {
  /** Fail when throughput drops below baseline × (1 − this). CI machines are noisy: generous. */
  readonly rpsDrop: number;
  /** Fail when p95 rises above baseline × (1 + this). */
  readonly p95Rise: number;
}

export const DEFAULT_TOLERANCES: GateTolerances = { rpsDrop: 0.3, p95Rise: 1.0 };

/** Each tolerance's valid range: a drop of 1 or more would put the floor at zero or below and disable the check. */
const TOLERANCE_RANGES: Readonly<Record<keyof GateTolerances, { readonly max: number; readonly text: string }>> = {
  rpsDrop: { max: 1, text: 'a fraction from 0 up to (not including) 1, e.g. 0.3' },
  p95Rise: { max: Number.POSITIVE_INFINITY, text: 'a fraction ≥ 0, e.g. 1.0 (up to twice the baseline)' },
};

export interface GateCheck {
  readonly name: string;
  readonly ok: boolean | null;
  readonly detail: string;
}

export interface GateResult {
  /** pass, fail, or unknown (the audit could not decide). */
  readonly verdict: 'pass' | 'fail' | 'unknown';
  readonly checks: readonly GateCheck[];
  readonly markdown: string;
  readonly baselineWritten: string | null;
}

export interface GateOptions {
  readonly baselineFile: string;
  readonly tolerances?: Partial<GateTolerances>;
  readonly updateBaseline?: boolean;
  /** How many runs the baseline keeps when updated (their median is the bar). */
  readonly baselineRuns?: number;
}

export function gate(runDir: string, options: GateOptions): GateResult {
  const tolerances = { ...DEFAULT_TOLERANCES, ...options.tolerances };
  for (const [k, range] of Object.entries(TOLERANCE_RANGES)) {
    const v = tolerances[k as keyof GateTolerances];
    if (!Number.isFinite(v) || v < 0 || v >= range.max) throw new ConfigError(`invalid tolerance ${k}: ${v} — expected ${range.text}`);
  }
  const run = loadRun(runDir);
  const r = runResults(run.summary);
  const auditFile = path.join(runDir, RUN_FILES.audit);
  const auditReport = existsSync(auditFile) ? (JSON.parse(readFileSync(auditFile, 'utf8')) as AuditReport) : undefined;
  const keep = options.baselineRuns ?? DEFAULT_BASELINE_RUNS;
  if (!Number.isInteger(keep) || keep < 1) throw new ConfigError(`invalid baselineRuns: ${keep} — expected a positive integer, e.g. ${DEFAULT_BASELINE_RUNS}`);
  const baseline = readBaseline(options.baselineFile);
  if (!baseline && !options.updateBaseline) {
    throw new ConfigError(`no baseline at ${options.baselineFile} — create one with \`perf-lab gate --baseline ${options.baselineFile} --update-baseline\``);
  }
  if (baseline && (baseline.scenario !== run.record.scenario || baseline.profile !== run.record.profile)) {
    throw new ConfigError(`baseline ${options.baselineFile} is for ${baseline.scenario}/${baseline.profile}, this run is ${run.record.scenario}/${run.record.profile}`);
  }
  const failedThresholds = r.thresholds.filter((t) => !t.ok);
  const checks: GateCheck[] = [
    { name: 'thresholds', ok: failedThresholds.length === 0,
      detail: failedThresholds.length === 0 ? `${r.thresholds.length} passed` : failedThresholds.map((t) => `${t.metric}: ${t.expression}`).join(', ') },
    { name: 'audit', ok: auditReport ? (auditReport.verdict === 'unknown' ? null : auditReport.ok) : false,
      detail: auditReport ? `${auditReport.verdict}${auditReport.ok ? '' : `: ${auditReport.invariants.filter((i) => (i.status ?? (i.ok ? 'ok' : 'violated')) === 'violated').map((i) => `${i.name} (${i.violations})`).join(', ')}`}` : 'no audit.json — run `perf-lab audit --run` first' },
    { name: 'system errors', ok: r.systemErrors === 0, detail: `${num(r.systemErrors)}` },
  ];
  let charts = '';
  if (baseline) {
    const minRps = baseline.rps * (1 - tolerances.rpsDrop);
    const maxP95 = baseline.p95Ms * (1 + tolerances.p95Rise);
    charts = gateCharts(run.timeSeries, { rps: baseline.rps, minRps, p95Ms: baseline.p95Ms, maxP95Ms: maxP95 });
    checks.push(
      { name: 'throughput vs baseline', ok: r.rps >= minRps,
        detail: `${num(r.rps, 2)} req/s, baseline ${num(baseline.rps, 2)}${spread(baseline, 'rps', (v) => num(v, 2))}, floor ${num(minRps, 2)}` },
      { name: 'p95 vs baseline', ok: r.latencyMs.p95 <= maxP95,
        detail: `${ms(r.latencyMs.p95)}, baseline ${ms(baseline.p95Ms)}${spread(baseline, 'p95Ms', ms)}, ceiling ${ms(maxP95)}` },
    );
  }
  const verdict = checks.some((c) => c.ok === false) ? 'fail' : checks.some((c) => c.ok === null) ? 'unknown' : 'pass';
  let baselineWritten: string | null = null;
  let written: Baseline | undefined;
  if (options.updateBaseline && verdict !== 'fail') {
    const added = { fromRun: path.basename(runDir), rps: r.rps, p95Ms: r.latencyMs.p95, createdAt: new Date().toISOString() };
    written = withRun(baseline, run.record.scenario, run.record.profile, added, keep);
    writeBaseline(options.baselineFile, written);
    baselineWritten = options.baselineFile;
  }
  const markdown = [
    `### perf-lab gate: ${verdict.toUpperCase()} — ${run.record.scenario} / ${run.record.profile}`, '',
    table(['check', 'result', 'detail'], checks.map((c) => [c.name, c.ok === null ? 'unknown' : c.ok ? 'pass' : '**FAIL**', c.detail])), '',
    ...(charts ? [charts] : []),
    written ? `Baseline written to \`${baselineWritten}\`: the median of ${written.runs.length} run(s) (it keeps the last ${keep}).` : '', '',
  ].join('\n');
  return { verdict, checks, markdown, baselineWritten };
}

/** " (median of N: min–max)" for a baseline of several runs; nothing for one. */
function spread(baseline: Baseline, key: 'rps' | 'p95Ms', format: (v: number) => string): string {
  if (baseline.runs.length < 2) return '';
  const values = baseline.runs.map((run) => run[key]);
  return ` (median of ${baseline.runs.length}: ${format(Math.min(...values))}–${format(Math.max(...values))})`;
}
