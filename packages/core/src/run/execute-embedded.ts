import { createWriteStream } from 'node:fs';
import { run as runEngine, type HttpClientKind, type ProgressEvent, type TimeSeriesPoint as EnginePoint } from '@perf-lab/engine';
import { OP_LOG_PREFIX } from '@perf-lab/scenarios/metric-names';
import { DEFAULT_EARLY_ABORT, earlyAbortReason, type EarlyAbortRule } from './early-abort.ts';
import { formatCauses } from './k6-error-names.ts';
import { parseOpLine } from './op-line.ts';
import { addCounts, classTotal, OutcomeTally, type OutcomeCounts, type SecondOutcomes } from './outcome-tally.ts';
import type { K6Summary, TimeSeriesPoint } from './run-record.ts';

/** What either engine hands back: k6's exit code, summary and a per-second series. */
export interface Execution {
  readonly exitCode: number;
  readonly summary: K6Summary | undefined;
  readonly timeSeries: readonly TimeSeriesPoint[];
  readonly error: string | undefined;
  /** Every operation's outcome by class and reason (embedded engine: counted live). */
  readonly outcomeTotals?: OutcomeCounts;
  /** Why perf-lab stopped the run early (every request a system failure), if it did. */
  readonly abortReason?: string;
  /** Requests sent and never answered to the script, their VU cut off (the embedded engine's
   * count; a k6 binary does not report one). */
  readonly interruptedInFlight?: number;
}

export interface ExecuteSpec {
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly runDir: string;
  readonly operationsFile: string;
  readonly progress: (line: string) => void;
  readonly signal?: AbortSignal;
  /** This generator's part of a test split over several (`run --segment`); the embedded engine only. */
  readonly segment?: { readonly segment: string; readonly sequence: string; readonly partDir: string };
  /** Ignored by executeK6: a user's k6 has its own client. */
  readonly httpClient?: HttpClientKind;
  /** Stop a run whose requests all fail from the start; false runs the full profile regardless. */
  readonly earlyAbort?: EarlyAbortRule | false;
}

/** Runs the bundle on perf-lab's embedded engine; operation lines go to the operations log. */
export async function executeEmbedded(spec: ExecuteSpec): Promise<Execution> {
  const ops = createWriteStream(spec.operationsFile);
  const tally = new OutcomeTally();
  const seconds = new Map<number, SecondOutcomes>();
  const stopper = new AbortController();
  spec.signal?.addEventListener('abort', () => stopper.abort(spec.signal?.reason), { once: true });
  const rule = spec.earlyAbort ?? DEFAULT_EARLY_ABORT;
  let abortReason: string | undefined;
  let lastTick = 0;
  let lastSecond = 0;
  const checkAbort = (elapsed: number): void => {
    if (!rule || abortReason) return;
    abortReason = earlyAbortReason(tally.totals, elapsed, rule);
    if (abortReason) {
      spec.progress(`[error] ${abortReason}`);
      stopper.abort(new Error(abortReason));
    }
  };
  const onProgress = (e: ProgressEvent): void => {
    if (e.type === 'log') {
      if (e.source === 'console' && e.message.startsWith(OP_LOG_PREFIX)) {
        ops.write(`${e.message}\n`);
        const op = parseOpLine(e.message);
        if (op) tally.add(op);
        if (op?.cls === 'system') checkAbort(lastSecond);
      } else if (e.level !== 'debug') spec.progress(`[${e.level}] ${e.message}`);
    } else if (e.type === 'tick') {
      seconds.set(e.point.t, tally.takeSecond());
      lastSecond = e.point.t;
      checkAbort(e.point.t);
      if (e.point.t - lastTick >= 5) {
        lastTick = e.point.t;
        const failed = classTotal(tally.totals, 'system');
        spec.progress(`${String(Math.round(e.point.t)).padStart(5)}s  vus ${String(e.point.vus).padStart(4)}  req/s ${String(e.point.httpReqs).padStart(6)}  ` +
          `p95 ${e.point.httpReqDurationP95.toFixed(1)} ms  failed ${e.point.httpReqFailed}` +
          (failed > 0 ? `  system errors ${failed}: ${formatCauses(tally.totals.system, 2)}` : ''));
      }
    }
  };
  try {
    const result = await runEngine({
      script: spec.script, env: { ...spec.env }, cwd: spec.runDir, onProgress, signal: stopper.signal,
      ...(spec.httpClient ? { httpClient: spec.httpClient } : {}),
      ...(spec.segment ? {
        options: { executionSegment: spec.segment.segment, executionSegmentSequence: spec.segment.sequence }, out: [`partial=${spec.segment.partDir}`],
      } : {}),
    });
    const last = result.timeSeries.at(-1);
    const rest = tally.takeSecond();
    if (last) seconds.set(last.t, mergeSeconds(seconds.get(last.t), rest));
    return {
      exitCode: result.exitCode,
      summary: result.summary as unknown as K6Summary | undefined,
      timeSeries: runSeries(result.timeSeries).map((p) => {
        const second = seconds.get(p.t);
        return second ? { ...p, outcomes: second.outcomes, successMs: second.successMs } : p;
      }),
      error: result.error ?? (result.stderr || undefined),
      outcomeTotals: tally.totals,
      interruptedInFlight: result.interruptedInFlight,
      ...(abortReason ? { abortReason } : {}),
    };
  } finally {
    await new Promise<void>((resolve) => ops.end(resolve));
  }
}

/** The engine's per-second points as a run folder keeps them (timeseries.json). */
export function runSeries(points: readonly EnginePoint[]): TimeSeriesPoint[] {
  return points.map((p) => ({ t: p.t, requests: p.httpReqs, p95Ms: p.httpReqs > 0 ? p.httpReqDurationP95 : null, vus: p.vus, systemFailures: p.httpReqFailed }));
}

/** Operations that finished after the last tick join the last second (their latency is not re-derived). */
function mergeSeconds(a: SecondOutcomes | undefined, b: SecondOutcomes): SecondOutcomes {
  return a ? { outcomes: addCounts(a.outcomes, b.outcomes), successMs: a.successMs ?? b.successMs } : b;
}
