import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditReport } from '../audit/audit.ts';
import { resultLabel } from '../audit/result-label.ts';
import { countOutcomes, readOpRecords } from '../run/op-line.ts';
import type { OutcomeCounts } from '../run/outcome-tally.ts';
import { RUN_FILES, latestRunDir, loadRun, type LoadedRun, type RunRecord } from '../run/run-record.ts';
import { runResults, type RunResults } from '../run/run-results.ts';
import { cpuSection } from './cpu-section.ts';
import { faultSection } from './fault-section.ts';
import { ms, num, table } from './markdown.ts';
import type { XMarker } from './mermaid-xychart.ts';
import { outcomeSection } from './outcome-section.ts';
import { runCharts, type RunCharts } from './run-charts.ts';
import { successDurations } from './latency-histogram.ts';

export interface ReportOptions {
  /** Run to compare with; default the previous run folder beside this one of the same scenario and profile. */
  readonly compareWith?: string;
  /** Spans of the load to mark on the time charts (e.g. injected faults), in seconds from its start. */
  readonly markers?: readonly XMarker[];
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
  const records = readOpRecords(path.join(runDir, RUN_FILES.operations));
  const outcomes = run.record.outcomes ?? countOutcomes(records);
  // Shaded until the target answered again: a killed service is unavailable through its restart too.
  const faultMarkers = (run.record.faults ?? []).flatMap((f): XMarker[] => (f.startMs === null ? [] : [{
    from: f.startMs / 1000, to: (f.recoveredMs ?? f.endMs ?? f.startMs) / 1000, label: f.fault,
  }]));
  const charts = runCharts(run, results, successDurations(records), [...faultMarkers, ...(options.markers ?? [])]);
  for (const [name, svg] of charts.svgs) writeFileSync(path.join(runDir, name), svg);
  const markdown = renderReport(run, results, outcomes, auditReport, previous, charts);
  const file = path.join(runDir, RUN_FILES.report);
  writeFileSync(file, markdown);
  return { file, charts: charts.svgs.map(([name]) => path.join(runDir, name)), markdown };
}

function renderReport(run: LoadedRun, r: RunResults, outcomes: OutcomeCounts, auditReport: AuditReport | undefined, previous: LoadedRun | undefined, charts: RunCharts): string {
  const rec = run.record;
  const out: string[] = [];
  out.push(`# perf-lab report — ${rec.scenario} / ${rec.profile}`, '');
  const verdict = auditReport ? `audit **${auditReport.verdict}**` : 'not audited';
  const thresholdsOk = r.thresholds.every((t) => t.ok);
  out.push(`**${num(r.rps, 2)} req/s**, p95 **${ms(r.latencyMs.p95)}**, ${num(r.systemErrors)} system errors, thresholds ${thresholdsOk ? '**passed**' : '**FAILED**'}, ${verdict}.`, '');
  out.push(`> ${rec.description}`, '');
  if (rec.abortReason) out.push(`**Stopped early by perf-lab:** ${rec.abortReason}.`, '');
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
  out.push(...outcomeSection(outcomes));
  out.push(...cpuSection(rec.cpu));
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
  if (charts.svgs.length > 0) {
    out.push('## Charts', '', charts.markdown);
    out.push(`The same charts as SVG files, for viewers without Mermaid: ${charts.svgs.map(([c]) => `![${c.replace('.svg', '')}](./${c})`).join(' ')}`, '');
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
