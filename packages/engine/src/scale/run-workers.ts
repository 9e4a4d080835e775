/**
 * `run({ workers: N })`: the parent evaluates the script (options, thresholds), runs setup()
 * once, then splits execution over N worker processes on the segments 0:1/N … (N-1)/N:1 of the
 * sequence 0,1/N,…,1 — k6's execution-segment arithmetic — starts them together, merges their
 * metrics (HDR histograms merge exactly), runs teardown() and builds one summary.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { equalSegments, formatSegment, formatSequence } from '../config/execution-segment.ts';
import type { JsonLinesOutput } from '../output/json-output.ts';
import { sumPoints } from '../output/time-series.ts';
import type { TimeSeriesPoint } from '../run/events.ts';
import { conductRun } from '../run/conduct-run.ts';
import { EXIT_CODES, type ExitCode } from '../run/exit-codes.ts';
import type { PreparedRun } from '../run/prepare-run.ts';
import type { RunOptions, RunResult } from '../run/run-options.ts';
import { mergeRegistry } from './metric-snapshot.ts';
import type { ParentMessage, WorkerMessage } from './worker-protocol.ts';

type Done = Extract<WorkerMessage, { type: 'done' }>;

export function runWithWorkers(opts: RunOptions): Promise<RunResult> {
  return conductRun(opts, {
    refuse: (o) => (o.options?.executionSegment ? 'workers and executionSegment cannot be combined: workers split the test into segments itself' : undefined),
    async execute(p, { json, outcome }) {
      const result = await runSegments(p, opts, json, outcome.timeSeries);
      return result.failed ? { failed: { exitCode: result.failed.exitCode as ExitCode, message: result.failed.message } } : { executionMs: result.executionMs };
    },
  });
}

interface SegmentsResult {
  executionMs: number;
  failed?: { exitCode: number; message: string };
}

async function runSegments(p: PreparedRun, opts: RunOptions, json: JsonLinesOutput | undefined, series: TimeSeriesPoint[]): Promise<SegmentsResult> {
  const n = opts.workers ?? 1;
  const { segments, sequence } = equalSegments(n);
  const entry = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const children: ChildProcess[] = [];
  const ticks = new Map<number, TimeSeriesPoint[]>();
  const done: Done[] = [];
  let ready = 0;
  let failed: SegmentsResult['failed'];
  const send = (c: ChildProcess, m: ParentMessage): void => {
    if (c.connected) c.send(m);
  };
  const broadcastAbort = (): void => {
    for (const c of children) if (p.run.abortCause) send(c, { type: 'abort', cause: p.run.abortCause });
  };
  p.run.abortController.signal.addEventListener('abort', broadcastAbort);
  let startedAt = 0;

  const finished = segments.map(
    (segment, i) =>
      new Promise<void>((resolve) => {
        const child = fork(entry, [], { execArgv: ['--import', tsx], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
        children.push(child);
        let stderr = '';
        let reported = false;
        child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        child.on('message', (m: WorkerMessage) => {
          switch (m.type) {
            case 'ready':
              if (++ready === n) {
                startedAt = performance.now();
                p.run.executionStart = startedAt;
                opts.onProgress?.({ type: 'phase', phase: 'running' });
                for (const c of children) send(c, { type: 'go' });
              }
              break;
            case 'failed':
              failed ??= { exitCode: m.exitCode, message: `worker ${i + 1}: ${m.message}` };
              p.run.abort({ kind: 'script', message: m.message });
              break;
            case 'event':
              if (m.event.type !== 'phase') p.run.emit(m.event);
              break;
            case 'tick': {
              const list = ticks.get(m.index) ?? [];
              list.push(m.point);
              ticks.set(m.index, list);
              if (list.length === n) emitTick(m.index);
              break;
            }
            case 'json':
              json?.write(m.lines);
              break;
            case 'aborted':
              p.run.abort(m.cause);
              break;
            case 'done':
              reported = true;
              done.push(m);
              break;
          }
        });
        child.on('exit', (code) => {
          if (!reported) {
            failed ??= { exitCode: EXIT_CODES.SCRIPT_EXCEPTION, message: `worker ${i + 1} exited (code ${code}) before reporting: ${stderr.trim()}` };
            p.run.abort({ kind: 'script', message: failed.message });
          }
          resolve();
        });
        send(child, {
          type: 'start',
          script: p.run.scriptPath,
          env: { ...p.run.baseEnv },
          overrides: { ...(opts.options ?? {}), executionSegment: formatSegment(segment), executionSegmentSequence: formatSequence(sequence) },
          httpClient: opts.httpClient,
          setupDataJson: p.run.setupDataJson,
          json: json !== undefined,
        });
      }),
  );

  const emitTick = (index: number): void => {
    const list = ticks.get(index);
    if (!list || list.length === 0) return;
    ticks.delete(index);
    const point = list.reduce(sumPoints);
    series.push(point);
    p.run.emit({ type: 'tick', point, scenarios: [] });
  };

  await Promise.all(finished);
  p.run.abortController.signal.removeEventListener('abort', broadcastAbort);
  for (const index of [...ticks.keys()].sort((a, b) => a - b)) emitTick(index);
  if (failed && done.length < n) return { executionMs: 0, failed };
  // vus/vus_max of the whole test are the per-second sums over workers (merged gauges could not
  // tell how many ran at once), so they are rebuilt from the summed time series. The last point
  // is each worker's partial final second, sampled after its VUs stopped.
  const sampled = series.slice(0, -1);
  for (const d of done) {
    if (sampled.length > 0) {
      delete d.metrics.vus;
      delete d.metrics.vus_max;
    }
    mergeRegistry(p.registry, d.metrics);
    p.groups.merge(d.groups);
    if (d.failedMessage) p.run.markFailed(d.failedMessage);
  }
  for (const pt of sampled) {
    p.metrics.vus.add(pt.vus, {});
    p.metrics.vusMax.add(pt.vusMax, {});
  }
  return { executionMs: Math.max(0, ...done.map((d) => d.executionMs)) || performance.now() - startedAt };
}
