/**
 * Last phase, shared by local and worker runs: final threshold verdict, summary data,
 * handleSummary() or the default text summary, --summary-export, and the exit code.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildSummaryData, type SummaryData } from '../summary/summary-data.ts';
import { legacySummaryExport } from '../summary/summary-export.ts';
import { textSummary } from '../summary/text-summary.ts';
import { callInFreshVu } from './call-in-fresh-vu.ts';
import type { PreparedRun } from './prepare-run.ts';
import type { RunOptions, RunResult } from './run-options.ts';
import type { TimeSeriesPoint } from '../output/progress-events.ts';
import { EXIT_CODES, type ExitCode } from './exit-codes.ts';
import { writeSummaryOutputs } from './summary-outputs.ts';
import { noRequestSucceeded } from './no-request-succeeded.ts';

export interface RunOutcome {
  executionMs: number;
  /** A script error outside iterations (setup/teardown), with its exit code. */
  scriptError?: { exitCode: ExitCode; message: string };
  executed: boolean;
  timeSeries: TimeSeriesPoint[];
  files: string[];
}

export async function finishRun(p: PreparedRun, opts: RunOptions, o: RunOutcome): Promise<RunResult> {
  const verdict = p.thresholds.evaluate(o.executionMs, o.executionMs, true);
  const data: SummaryData = buildSummaryData({
    registry: p.registry,
    thresholds: p.thresholds,
    rootGroup: p.groups.toSummary(),
    durationMs: o.executionMs,
    trendStats: p.trendStats,
    timeUnit: p.options.summaryTimeUnit,
    noColor: !(opts.isStdOutTTY ?? false),
    isStdOutTTY: opts.isStdOutTTY ?? false,
    isStdErrTTY: opts.isStdErrTTY ?? false,
  });
  p.run.requestFailures.flush(); // teardown()'s, after the scenarios' last count
  const noSuccess = noRequestSucceeded(data);
  const exitCode = exitCodeOf(p, o, verdict.ok, noSuccess !== undefined);
  const error = errorOf(p, o, exitCode) ?? noSuccess;
  // The error is printed at the end; when another cause is the error, this still needs saying.
  if (noSuccess && error !== noSuccess) p.run.log('error', noSuccess);
  let stdout = '';
  let stderr = '';
  const files = [...o.files];
  if (o.executed) {
    p.run.emit({ type: 'phase', phase: 'summary' });
    // As k6, handleSummary's data also carries what setup() returned.
    const setupJson = p.run.setupDataJson;
    const forScript = setupJson === undefined ? structuredClone(data) : { ...structuredClone(data), setup_data: JSON.parse(setupJson) as unknown };
    const custom = await callInFreshVu(p.pool, 'handleSummary', [forScript], 120_000);
    if (custom.kind === 'ok') {
      try {
        const written = await writeSummaryOutputs(custom.value, opts.cwd ?? process.cwd());
        ({ stdout, stderr } = written);
        files.push(...written.files);
      } catch (err) {
        p.run.log('error', `could not write handleSummary() output: ${(err as Error).message}`);
      }
    } else {
      if (custom.kind !== 'missing') {
        // As k6: logged, the default summary instead, and the exit code stays the test's.
        p.run.log('error', `handleSummary() failed: ${custom.message}; falling back to the default summary`);
      }
      if (!opts.noSummary) stdout = textSummary(data, { indent: ' ', enableColors: opts.isStdOutTTY ?? false });
    }
    if (opts.summaryExport) {
      const path = resolve(opts.cwd ?? process.cwd(), opts.summaryExport);
      await writeFile(path, JSON.stringify(legacySummaryExport(data), null, 2));
      files.push(path);
    }
  }
  return {
    exitCode,
    summary: data,
    thresholds: p.thresholds.all.map((t) => ({ metric: t.metric, threshold: t.source, ok: t.ok, actual: t.actual, abortOnFail: t.abortOnFail })),
    timeSeries: o.timeSeries,
    stdout,
    stderr,
    files,
    interruptedInFlight: p.run.stats.interruptedInFlight,
    ...(error ? { error } : {}),
  };
}

function exitCodeOf(p: PreparedRun, o: RunOutcome, thresholdsOk: boolean, noSuccess: boolean): ExitCode {
  const cause = p.run.abortCause;
  if (cause?.kind === 'script') return EXIT_CODES.SCRIPT_ABORTED;
  if (cause?.kind === 'script-error') return EXIT_CODES.SCRIPT_EXCEPTION;
  if (o.scriptError) return o.scriptError.exitCode;
  if (cause?.kind === 'signal') return EXIT_CODES.EXTERNAL_ABORT;
  if (!thresholdsOk || cause?.kind === 'threshold') return EXIT_CODES.THRESHOLDS_FAILED;
  // k6 exits 0 here; a tool that verifies others must not pass a run that reached nothing.
  if (p.run.failedMessage || noSuccess) return EXIT_CODES.MARKED_AS_FAILED;
  return EXIT_CODES.OK;
}

function errorOf(p: PreparedRun, o: RunOutcome, code: ExitCode): string | undefined {
  if (code === EXIT_CODES.OK) return undefined;
  if (code === EXIT_CODES.MARKED_AS_FAILED && p.run.failedMessage) return p.run.failedMessage;
  if (p.run.abortCause && (code !== EXIT_CODES.SCRIPT_EXCEPTION || p.run.abortCause.kind === 'script-error')) return p.run.abortCause.message;
  if (o.scriptError) return o.scriptError.message;
  return code === EXIT_CODES.THRESHOLDS_FAILED ? 'some thresholds have failed' : undefined;
}
