import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditReport } from '../audit/audit.ts';
import { resultLabel } from '../audit/result-label.ts';
import { RUN_FILES, latestRunDir, loadRun, type LoadedRun, type RunRecord } from '../run/run-record.ts';
import { runResults, type RunResults } from '../run/run-results.ts';
import { faultSection } from './fault-section.ts';
import { ms, num, table } from './markdown.ts';
import { lineChartSvg } from './svg-line-chart.ts';

export interface ReportOptions {
  /** Run to compare with; default the previous run folder beside this one of the same scenario and profile. */
  readonly compareWith?: string;
}

export interface ReportResult {
  readonly file: string;
  readonly charts: readonly string[];
  readonly markdown: string;
}

/** Writes report.md and its SVG charts into the run folder. */
export function writeReport(runDir: string, options: ReportOptions = {}): ReportResult {
  const run = loadRun(runDir);
  const results = runResults(run.summary);
  const auditFile = path.join(runDir, RUN_FILES.audit);
  const auditReport = existsSync(auditFile) ? (JSON.parse(readFileSync(auditFile, 'utf8')) as AuditReport) : undefined;
  // Only a run of the same scenario and profile is comparable: other loads give other figures.
  const sameLoad = (r: RunRecord) => r.scenario === run.record.scenario && r.profile === run.record.profile;
  const previousDir = options.compareWith ?? latestRunDir(path.dirname(path.resolve(runDir)), path.resolve(runDir), sameLoad);
  const previous = previousDir && existsSync(path.join(previousDir, RUN_FILES.record)) ? loadRun(previousDir) : undefined;
  const charts = writeCharts(run);
  const markdown = renderReport(run, results, auditReport, previous, charts);
  const file = path.join(runDir, RUN_FILES.report);
  writeFileSync(file, markdown);
  return { file, charts: charts.map((c) => path.join(runDir, c)), markdown };
}

function writeCharts(run: LoadedRun): string[] {
  const ts = run.timeSeries;
  if (ts.length === 0) return [];
  const bands = (run.record.faults ?? []).flatMap((f) => (f.startMs === null ? [] : [{
    from: f.startMs / 1000, to: (f.endMs ?? f.startMs) / 1000, label: f.fault,
  }]));
  const charts: [string, string][] = [
    ['throughput.svg', lineChartSvg({ title: 'Throughput', xLabel: 'seconds', yLabel: 'requests/s', bands, series: [
      { label: 'requests/s', color: '#2563eb', points: ts.map((p) => [p.t, p.requests]) },
      { label: 'system failures/s', color: '#dc2626', points: ts.map((p) => [p.t, p.systemFailures]) },
    ] })],
    ['latency-p95.svg', lineChartSvg({ title: 'p95 latency per second', xLabel: 'seconds', yLabel: 'ms', bands, series: [
      { label: 'p95', color: '#7c3aed', points: ts.map((p) => [p.t, p.p95Ms]) },
    ] })],
    ['vus.svg', lineChartSvg({ title: 'Virtual users', xLabel: 'seconds', yLabel: 'VUs', series: [
      { label: 'VUs', color: '#059669', points: ts.map((p) => [p.t, p.vus]) },
    ] })],
  ];
  for (const [name, svg] of charts) writeFileSync(path.join(run.dir, name), svg);
  return charts.map(([name]) => name);
}

function renderReport(run: LoadedRun, r: RunResults, auditReport: AuditReport | undefined, previous: LoadedRun | undefined, charts: readonly string[]): string {
  const rec = run.record;
  const out: string[] = [];
  out.push(`# perf-lab report — ${rec.scenario} / ${rec.profile}`, '');
  const verdict = auditReport ? `audit **${auditReport.verdict}**` : 'not audited';
  const thresholdsOk = r.thresholds.every((t) => t.ok);
  out.push(`**${num(r.rps, 2)} req/s**, p95 **${ms(r.latencyMs.p95)}**, ${num(r.systemErrors)} system errors, thresholds ${thresholdsOk ? '**passed**' : '**FAILED**'}, ${verdict}.`, '');
  out.push(`> ${rec.description}`, '');
  out.push('## Run', '');
  out.push(table(['', ''], [
    ['command', `\`${rec.command}\``],
    ['started', rec.startedAt], ['target', rec.target], ['engine', rec.engine],
    ['server settings', Object.entries(rec.serverSettings).map(([k, v]) => `${k}=${v}`).join(', ') || '(defaults)'],
    ...Object.entries(rec.versions).map(([k, v]) => [k, v] as [string, string]),
  ]), '');
  out.push('## Results', '');
  out.push(table(['requests', 'req/s', 'p50', 'p90', 'p95', 'p99', 'max', 'successes', 'business failures', 'system errors'], [[
    num(r.requests), num(r.rps, 2), ms(r.latencyMs.p50), ms(r.latencyMs.p90), ms(r.latencyMs.p95), ms(r.latencyMs.p99), ms(r.latencyMs.max),
    num(r.successes), num(r.businessFailures), num(r.systemErrors),
  ]]), '');
  out.push('Latency is of successful responses (`perf_lab_success_duration`); the rate is over the whole run, ramps included.', '');
  const reasons = Object.entries(r.businessByReason);
  if (reasons.length > 0) out.push('Business failures by reason:', '', table(['reason', 'count'], reasons.map(([k, v]) => [k, num(v)])), '');
  if (rec.faults && rec.faults.length > 0) out.push(...faultSection(rec.faults));
  out.push('## Thresholds', '');
  out.push(r.thresholds.length === 0 ? 'None.' : table(['metric', 'threshold', 'result'], r.thresholds.map((t) => [t.metric, `\`${t.expression}\``, t.ok ? 'pass' : '**FAIL**'])), '');
  out.push('## Audit', '');
  if (!auditReport) out.push('Not audited: run `perf-lab audit --run <this folder>`.', '');
  else {
    out.push(`Verdict: **${auditReport.verdict}** (Kafka lag ${auditReport.drain.kafkaLag}, outbox pending ${auditReport.drain.outboxPending}, waited ${num(auditReport.drain.waitedSeconds, 1)} s; audit took ${num(auditReport.seconds, 2)} s).`, '');
    if (auditReport.settings) out.push(`Judged with server settings: ${auditReport.settings.described}.`, '');
    for (const reason of auditReport.reasons ?? []) out.push(`- unknown because ${reason}`);
    if ((auditReport.reasons ?? []).length > 0) out.push('');
    out.push(table(['invariant', 'meaning', 'result', 'violations', 'examples'], auditReport.invariants.map((i) => {
      const label = resultLabel(i);
      return [i.name, i.meaning, label.tone === 'ok' || label.tone === 'muted' ? label.word : `**${label.word}**`, num(i.violations), label.detail];
    })), '');
  }
  if (charts.length > 0) {
    out.push('## Charts', '');
    for (const c of charts) out.push(`![${c.replace('.svg', '')}](./${c})`, '');
  }
  out.push('## Compared with the previous run', '');
  if (!previous) out.push(`No previous run of ${rec.scenario} / ${rec.profile} in this folder.`, '');
  else {
    const p = runResults(previous.summary);
    const ratio = (a: number, b: number) => (b > 0 ? `${num(a / b, 2)}×` : '-');
    out.push(`Previous: \`${path.basename(previous.dir)}\` (${previous.record.scenario} / ${previous.record.profile}).`, '');
    out.push(table(['', 'previous', 'this run', 'this / previous'], [
      ['req/s', num(p.rps, 2), num(r.rps, 2), ratio(r.rps, p.rps)],
      ['p95', ms(p.latencyMs.p95), ms(r.latencyMs.p95), ratio(r.latencyMs.p95, p.latencyMs.p95)],
      ['system errors', num(p.systemErrors), num(r.systemErrors), '-'],
    ]), '');
  }
  out.push('## Profile', '', '```json', JSON.stringify(rec.load, null, 2), '```', '');
  return out.join('\n');
}
