/**
 * The N worker processes of one run: started together on their execution segments, released at
 * once when all are ready, each one's messages relayed to the parent's run (events, output lines,
 * aborts, per-second points), and an abort in the parent sent to all of them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { equalSegments, formatSegment, formatSequence, type ExecutionSegment } from '../config/execution-segment.ts';
import { parseOutputs } from '../output/create-outputs.ts';
import type { SampleOutput } from '../output/sample-output.ts';
import { EXIT_CODES } from '../run/exit-codes.ts';
import type { PreparedRun } from '../run/prepare-run.ts';
import type { RunOptions } from '../run/run-options.ts';
import type { WorkerReport } from './merge-worker-results.ts';
import type { TickMerger } from './tick-merger.ts';
import type { ParentMessage, WorkerMessage } from './worker-protocol.ts';

export interface WorkerFailure {
  exitCode: number;
  message: string;
}

export class WorkerFleet {
  private readonly children: ChildProcess[] = [];
  private ready = 0;
  /** performance.now() when the workers were released. */
  startedAt = 0;
  failed: WorkerFailure | undefined;
  readonly reports: WorkerReport[] = [];

  constructor(
    private readonly p: PreparedRun,
    private readonly opts: RunOptions,
    private readonly outputs: readonly SampleOutput[],
    private readonly ticks: TickMerger,
    private readonly size: number,
  ) {}

  /** Starts every worker and resolves once all have exited. */
  async run(): Promise<void> {
    const { segments, sequence } = equalSegments(this.size);
    const signal = this.p.run.abortController.signal;
    signal.addEventListener('abort', this.broadcastAbort);
    try {
      await Promise.all(segments.map((segment, i) => this.start(i, segment, formatSequence(sequence))));
    } finally {
      signal.removeEventListener('abort', this.broadcastAbort);
    }
  }

  private readonly broadcastAbort = (): void => {
    const cause = this.p.run.abortCause;
    if (cause) for (const c of this.children) send(c, { type: 'abort', cause });
  };

  private start(i: number, segment: ExecutionSegment, sequence: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const child = fork(WORKER_ENTRY, [], { execArgv: ['--import', tsxLoader()], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
      this.children.push(child);
      let stderr = '';
      let reported = false;
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'done') reported = true;
        this.receive(i, m);
      });
      child.on('error', (err) => {
        // A message sent to a worker that is exiting fails (EPIPE) and its exit reports it; a
        // worker that could not be started at all never exits, so it is reported here.
        if (child.pid !== undefined) return;
        this.fail({ exitCode: EXIT_CODES.SCRIPT_EXCEPTION, message: `worker ${i + 1} could not be started: ${err.message}` });
        resolve();
      });
      child.on('exit', (code) => {
        if (!reported) this.fail({ exitCode: EXIT_CODES.SCRIPT_EXCEPTION, message: `worker ${i + 1} exited (code ${code}) before reporting: ${stderr.trim()}` });
        resolve();
      });
      const { p, opts } = this;
      send(child, {
        type: 'start',
        script: p.run.scriptPath,
        env: { ...p.run.baseEnv },
        overrides: { ...(opts.options ?? {}), executionSegment: formatSegment(segment), executionSegmentSequence: sequence },
        httpClient: opts.httpClient,
        setupDataJson: p.run.setupDataJson,
        outputs: parseOutputs(opts.out ?? [], opts.outputEnv ?? {}),
      });
    });
  }

  private receive(i: number, m: WorkerMessage): void {
    const run = this.p.run;
    switch (m.type) {
      case 'ready':
        if (++this.ready === this.size) this.release();
        break;
      case 'failed':
        this.failed ??= { exitCode: m.exitCode, message: `worker ${i + 1}: ${m.message}` };
        run.abort({ kind: 'script', message: m.message });
        break;
      case 'event':
        if (m.event.type !== 'phase') run.emit(m.event);
        break;
      case 'tick':
        this.ticks.add(m.index, m.point);
        break;
      case 'output':
        this.outputs[m.index]?.writeForwarded?.(m.text);
        break;
      case 'aborted':
        run.abort(m.cause);
        break;
      case 'done':
        this.reports.push(m);
        break;
    }
  }

  /** Every worker is initialized: they start executing together. */
  private release(): void {
    this.startedAt = performance.now();
    this.p.run.executionStart = this.startedAt;
    this.opts.onProgress?.({ type: 'phase', phase: 'running' });
    for (const c of this.children) send(c, { type: 'go' });
  }

  private fail(failure: WorkerFailure): void {
    this.failed ??= failure;
    this.p.run.abort({ kind: 'script', message: this.failed.message });
  }
}

const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/** Workers run the TypeScript sources, as the parent does, through tsx's loader. */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

function send(c: ChildProcess, m: ParentMessage): void {
  if (c.connected) c.send(m);
}
