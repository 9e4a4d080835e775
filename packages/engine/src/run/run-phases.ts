/**
 * The phases of every test, in k6's order, wherever its scenarios run (in this process:
 * run-local.ts; in worker processes: workers/run-workers.ts): outputs, preparation (VU 0,
 * options), the abort signal, setup(), the scenarios (the ScenarioRunner's part), teardown(),
 * the summary, and the clean-up that must happen whatever fails.
 */
import { parseDurationMs } from '../config/duration.ts';
import { createOutputs, parseOutputs, type OutputSpec } from '../output/create-outputs.ts';
import type { SampleOutput } from '../output/sample-output.ts';
import type { TimeSeriesCollector } from '../output/time-series.ts';
import { EXIT_CODES, type ExitCode } from './exit-codes.ts';
import { finishRun, type RunOutcome } from './finish-run.ts';
import { serializeSetupData, type ExportedFunctionOutcome } from './call-exported-function.ts';
import { callInFreshVu } from './call-in-fresh-vu.ts';
import { PartialOutput, partialOutputDir } from './partial-output.ts';
import { prepareRun, PrepareError, type PreparedRun } from './prepare-run.ts';
import type { RunOptions, RunResult } from './run-options.ts';

export interface RunStage {
  /** The `--out` outputs, in the order given; attached by the runner where samples are made. */
  readonly outputs: readonly SampleOutput[];
  readonly outcome: RunOutcome;
  /** The per-second series, when the runner collects it in this process. */
  collector?: TimeSeriesCollector;
}

export type Execution = { executionMs: number } | { failed: { exitCode: ExitCode; message: string } };

/** Where the scenarios run: the only part of a test that differs between runners. */
export interface ScenarioRunner {
  /** Refuses options this runner cannot honour, before the script is evaluated (exit 104). */
  refuse?(opts: RunOptions): string | undefined;
  /** After preparation, before setup(). A PrepareError stops the run with its exit code. */
  beforeSetup?(p: PreparedRun, stage: RunStage): Promise<void>;
  /** Runs the scenarios, between setup() and teardown(). */
  execute(p: PreparedRun, stage: RunStage): Promise<Execution>;
}

export async function runPhases(opts: RunOptions, runner: ScenarioRunner): Promise<RunResult> {
  let specs: OutputSpec[];
  let partialDir: string | undefined;
  try {
    specs = parseOutputs(opts.out ?? [], opts.outputEnv ?? {});
    partialDir = partialOutputDir(opts.out ?? []);
  } catch (err) {
    return failedToStart(EXIT_CODES.INVALID_CONFIG, (err as Error).message);
  }
  const partial = partialDir === undefined ? undefined : new PartialOutput(partialDir);
  const listener = partial ? partial.wrap(opts.onProgress ?? (() => undefined)) : (opts.onProgress ?? (() => undefined));
  const refusal = runner.refuse?.(opts);
  if (refusal) return failedToStart(EXIT_CODES.INVALID_CONFIG, refusal);
  let p: PreparedRun;
  try {
    listener({ type: 'phase', phase: 'init' });
    p = await prepareRun({ script: opts.script, env: opts.env ?? {}, overrides: opts.options ?? {}, listener, httpClient: opts.httpClient });
  } catch (err) {
    // Anything but a PrepareError is a bug of the engine, not of the script: let it surface.
    if (err instanceof PrepareError) return failedToStart(err.exitCode, err.message);
    throw err;
  }
  const onSignal = (): void => p.run.abort({ kind: 'signal', message: 'test run was aborted by a signal' });
  if (opts.signal?.aborted) onSignal();
  opts.signal?.addEventListener('abort', onSignal, { once: true });
  let outputs: SampleOutput[];
  try {
    outputs = createOutputs(specs, { thresholds: p.thresholds, log: (level, message) => p.run.log(level, message) });
  } catch (err) {
    opts.signal?.removeEventListener('abort', onSignal);
    await p.dispose();
    return failedToStart(EXIT_CODES.INVALID_CONFIG, `--out: ${(err as Error).message}`);
  }
  const files = outputs.flatMap((o) => (o.file === undefined ? [] : [o.file]));
  const stage: RunStage = { outputs, outcome: { executionMs: 0, executed: false, timeSeries: [], files } };
  try {
    try {
      await runner.beforeSetup?.(p, stage);
    } catch (err) {
      if (err instanceof PrepareError) return failedToStart(err.exitCode, err.message);
      throw err;
    }
    if (await runSetup(p, stage.outcome)) {
      const execution = await runner.execute(p, stage);
      if ('failed' in execution) return failedToStart(execution.failed.exitCode, execution.failed.message);
      stage.outcome.executionMs = execution.executionMs;
      stage.outcome.executed = true;
      await runTeardown(p, stage.outcome);
    }
    await closeOutputs(outputs);
    if (partial) stage.outcome.files.push(await partial.write(p, opts.script, stage.outcome));
    return await finishRun(p, opts, stage.outcome);
  } finally {
    opts.signal?.removeEventListener('abort', onSignal);
    try {
      await closeOutputs(outputs);
      await p.dispose();
    } finally {
      // After the pool's close: a late sample of a closed connection still reaches the observers.
      stage.collector?.dispose();
    }
  }
}

/** Closes every output (each close is idempotent), even when one of them fails. */
async function closeOutputs(outputs: readonly SampleOutput[]): Promise<void> {
  const results = await Promise.allSettled(outputs.map((o) => o.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function runSetup(p: PreparedRun, outcome: RunOutcome): Promise<boolean> {
  if (p.options.noSetup) return true;
  p.run.emit({ type: 'phase', phase: 'setup' });
  const r = await callInFreshVu(p.pool, 'setup', [], parseDurationMs(p.options.setupTimeout ?? '60s', 'setupTimeout'));
  if (r.kind === 'ok') {
    try {
      p.run.setupDataJson = serializeSetupData(r.value);
    } catch (err) {
      outcome.scriptError = { exitCode: EXIT_CODES.SCRIPT_EXCEPTION, message: `setup() returned data that JSON cannot hold: ${(err as Error).message}` };
      return false;
    }
    return true;
  }
  if (r.kind === 'missing') return true;
  recordFailure(p, outcome, 'setup', r, EXIT_CODES.SETUP_TIMEOUT);
  return false;
}

async function runTeardown(p: PreparedRun, outcome: RunOutcome): Promise<void> {
  if (p.options.noTeardown) return;
  p.run.emit({ type: 'phase', phase: 'teardown' });
  const data = p.run.setupDataJson === undefined ? undefined : JSON.parse(p.run.setupDataJson);
  const r = await callInFreshVu(p.pool, 'teardown', [data], parseDurationMs(p.options.teardownTimeout ?? '60s', 'teardownTimeout'));
  if (r.kind !== 'ok' && r.kind !== 'missing') recordFailure(p, outcome, 'teardown', r, EXIT_CODES.TEARDOWN_TIMEOUT);
}

function recordFailure(p: PreparedRun, outcome: RunOutcome, phase: string, r: Exclude<ExportedFunctionOutcome, { kind: 'ok' | 'missing' }>, timeoutCode: ExitCode): void {
  p.run.log('error', `${phase}() failed: ${r.message}`);
  if (r.kind === 'aborted') return; // run.abortCause already says 108
  outcome.scriptError ??= { exitCode: r.kind === 'timeout' ? timeoutCode : EXIT_CODES.SCRIPT_EXCEPTION, message: r.message };
}

function failedToStart(exitCode: ExitCode, message: string): RunResult {
  return { exitCode, summary: undefined, thresholds: [], timeSeries: [], stdout: '', stderr: '', error: message, files: [], interruptedInFlight: 0 };
}
