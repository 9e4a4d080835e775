import { createWriteStream } from 'node:fs';
import { run as runEngine, type HttpClientKind, type ProgressEvent, type TimeSeriesPoint as EnginePoint } from '@perf-lab/engine';
import { OP_LOG_PREFIX } from '@perf-lab/scenarios/metric-names';
import type { K6Summary, TimeSeriesPoint } from './run-record.ts';

/** What either engine hands back: k6's exit code, summary and a per-second series. */
export interface Execution {
  readonly exitCode: number;
  readonly summary: K6Summary | undefined;
  readonly timeSeries: readonly TimeSeriesPoint[];
  readonly error: string | undefined;
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
}

/** Runs the bundle on perf-lab's embedded engine; operation lines go to the operations log. */
export async function executeEmbedded(spec: ExecuteSpec): Promise<Execution> {
  const ops = createWriteStream(spec.operationsFile);
  let lastTick = 0;
  const onProgress = (e: ProgressEvent): void => {
    if (e.type === 'log') {
      if (e.source === 'console' && e.message.startsWith(OP_LOG_PREFIX)) ops.write(`${e.message}\n`);
      else if (e.level !== 'debug') spec.progress(`[${e.level}] ${e.message}`);
    } else if (e.type === 'tick' && e.point.t - lastTick >= 5) {
      lastTick = e.point.t;
      spec.progress(`${String(Math.round(e.point.t)).padStart(5)}s  vus ${String(e.point.vus).padStart(4)}  req/s ${String(e.point.httpReqs).padStart(6)}  p95 ${e.point.httpReqDurationP95.toFixed(1)} ms  failed ${e.point.httpReqFailed}`);
    }
  };
  try {
    const result = await runEngine({
      script: spec.script, env: { ...spec.env }, cwd: spec.runDir, onProgress, ...(spec.signal ? { signal: spec.signal } : {}),
      ...(spec.httpClient ? { httpClient: spec.httpClient } : {}),
      ...(spec.segment ? {
        options: { executionSegment: spec.segment.segment, executionSegmentSequence: spec.segment.sequence }, out: [`partial=${spec.segment.partDir}`],
      } : {}),
    });
    return {
      exitCode: result.exitCode,
      summary: result.summary as unknown as K6Summary | undefined,
      timeSeries: runSeries(result.timeSeries),
      error: result.error ?? (result.stderr || undefined),
    };
  } finally {
    await new Promise<void>((resolve) => ops.end(resolve));
  }
}

/** The engine's per-second points as a run folder keeps them (timeseries.json). */
export function runSeries(points: readonly EnginePoint[]): TimeSeriesPoint[] {
  return points.map((p) => ({ t: p.t, requests: p.httpReqs, p95Ms: p.httpReqs > 0 ? p.httpReqDurationP95 : null, vus: p.vus, systemFailures: p.httpReqFailed }));
}
