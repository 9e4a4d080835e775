/**
 * `mergePartials(dirs)`: one test's result from the parts its generators wrote. Metrics are
 * rebuilt exactly — counters and rates add, trends merge their HDR histograms (percentiles of the
 * whole, not averages of parts) — and the thresholds are evaluated on the merged metrics, so the
 * verdict is the one a single run of the whole test would give.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseExecutionSegment } from '../config/execution-segment.ts';
import { compare, type Rational } from '../config/rational.ts';
import { registerBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { GroupTree } from '../metrics/group-tree.ts';
import { MetricRegistry } from '../metrics/registry.ts';
import type { TimeSeriesPoint } from '../output/progress-events.ts';
import { sumPoints } from '../output/time-series.ts';
import { EXIT_CODES, type ExitCode } from '../run/exit-codes.ts';
import type { ThresholdResult } from '../run/run-options.ts';
import { buildSummaryData, type SummaryData } from '../summary/summary-data.ts';
import { textSummary } from '../summary/text-summary.ts';
import { ThresholdSet } from '../thresholds/threshold-set.ts';
import { mergeRegistry } from '../metrics/metric-snapshot.ts';
import { checkPartials } from './check-partials.ts';
import { PartialMergeError } from './partial-merge-error.ts';
import { PARTIAL_FILES, PARTIAL_FORMAT, type PartialIdentity, type PartialResult } from '../run/partial-result.ts';

export interface MergedResult {
  exitCode: ExitCode;
  /** k6's handleSummary data of the whole test. */
  summary: SummaryData;
  /** k6's end-of-test text summary of the whole test. */
  text: string;
  thresholds: ThresholdResult[];
  /** Per-second points summed over the parts (second i of every generator). */
  timeSeries: TimeSeriesPoint[];
  /** The parts' console lines, part by part in segment order. */
  consoleLines: string[];
  identity: Omit<PartialIdentity, 'segment'> & { segments: string[] };
  startedAt: string;
  finishedAt: string;
}

export async function mergePartials(dirs: readonly string[]): Promise<MergedResult> {
  const parts = await Promise.all(dirs.map(readPart));
  checkPartials(parts.map(({ dir, result }) => ({ source: dir, identity: result.identity, executed: result.executed })));
  const fromOf = (p: (typeof parts)[number]): Rational => parseExecutionSegment(p.result.identity.segment).from;
  parts.sort((a, b) => compare(fromOf(a), fromOf(b)));
  const results = parts.map((p) => p.result);
  const first = results[0] as PartialResult;
  const registry = new MetricRegistry();
  try {
    registerBuiltinMetrics(registry);
    for (const r of results) for (const d of r.definitions) registry.define(d.name, d.type, d.contains);
    const thresholds = new ThresholdSet(first.thresholds, registry);
    const groups = new GroupTree();
    for (const r of results) {
      mergeRegistry(registry, r.metrics);
      groups.merge(r.rootGroup);
    }
    // The generators ran side by side: the test lasted as long as its longest part.
    const durationMs = Math.max(...results.map((r) => r.executionMs));
    const verdict = thresholds.evaluate(durationMs, durationMs, true);
    const summary = buildSummaryData({
      registry, thresholds, rootGroup: groups.toSummary(), durationMs, trendStats: first.trendStats, timeUnit: first.summaryTimeUnit,
      noColor: true, isStdOutTTY: false, isStdErrTTY: false,
    });
    return {
      exitCode: exitCodeOf(results, verdict.ok),
      summary,
      text: textSummary(summary, { indent: ' ', enableColors: false }),
      thresholds: thresholds.all.map((t) => ({ metric: t.metric, threshold: t.source, ok: t.ok, actual: t.actual, abortOnFail: t.abortOnFail })),
      timeSeries: sumSeries(results.map((r) => r.timeSeries)),
      consoleLines: parts.flatMap((p) => p.consoleLines),
      identity: { scriptHash: first.identity.scriptHash, optionsHash: first.identity.optionsHash, sequence: first.identity.sequence, segments: results.map((r) => r.identity.segment) },
      startedAt: results.map((r) => r.startedAt).sort()[0] as string,
      finishedAt: results.map((r) => r.finishedAt).sort().at(-1) as string,
    };
  } finally {
    registry.dispose();
  }
}

async function readPart(dir: string): Promise<{ dir: string; result: PartialResult; consoleLines: string[] }> {
  let result: PartialResult;
  let consoleText: string;
  try {
    result = JSON.parse(await readFile(join(dir, PARTIAL_FILES.result), 'utf8')) as PartialResult;
    consoleText = await readFile(join(dir, PARTIAL_FILES.console), 'utf8');
  } catch (err) {
    throw new PartialMergeError('unreadable', `cannot read the part in ${dir} (${(err as Error).message}) — pass folders written by \`run --out partial=DIR\``);
  }
  if (result.format !== PARTIAL_FORMAT) throw new PartialMergeError('unreadable', `${dir}: part format ${String(result.format)}, this engine reads ${PARTIAL_FORMAT} — merge with the engine version that wrote it`);
  return { dir, result, consoleLines: consoleText === '' ? [] : consoleText.replace(/\n$/, '').split('\n') };
}

/** Second i of the whole test is second i of every generator (they start together). */
function sumSeries(series: readonly TimeSeriesPoint[][]): TimeSeriesPoint[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  return Array.from({ length }, (_, i) => series.flatMap((s) => (s[i] ? [s[i]] : [])).reduce(sumPoints));
}

/** As a single run decides (finish-run.ts): an abort or script error first, then the thresholds. */
function exitCodeOf(results: readonly PartialResult[], thresholdsOk: boolean): ExitCode {
  const causes = results.flatMap((r) => (r.abort ? [r.abort.kind] : []));
  if (causes.includes('script')) return EXIT_CODES.SCRIPT_ABORTED;
  if (causes.includes('script-error')) return EXIT_CODES.SCRIPT_EXCEPTION;
  if (causes.includes('signal')) return EXIT_CODES.EXTERNAL_ABORT;
  if (!thresholdsOk || causes.includes('threshold')) return EXIT_CODES.THRESHOLDS_FAILED;
  if (results.some((r) => r.failedMessage)) return EXIT_CODES.MARKED_AS_FAILED;
  return EXIT_CODES.OK;
}
