/** A test in this process: prepare, init VUs, setup, scenarios, teardown, summary. */
import { parseDuration } from '../config/duration.ts';
import { JsonLinesOutput } from '../output/json-output.ts';
import { TimeSeriesCollector } from '../output/time-series.ts';
import { describeScriptError } from '../runtime/errors.ts';
import { executeScenarios } from './execute-scenarios.ts';
import { EXIT_CODES, type ExitCode } from './exit-codes.ts';
import { finishRun, type RunOutcome } from './finish-run.ts';
import { callLifecycle, serializeSetupData, type LifecycleOutcome } from './lifecycle.ts';
import { parseOutputs, type Outputs } from './parse-outputs.ts';
import { planInitialVus } from './plan-vus.ts';
import { prepareRun, PrepareError, type PreparedRun } from './prepare-run.ts';
import type { RunOptions, RunResult } from './run-options.ts';

export async function runLocal(opts: RunOptions): Promise<RunResult> {
  const listener = opts.onProgress ?? (() => undefined);
  let outputs: Outputs;
  try {
    outputs = parseOutputs(opts.out ?? []);
  } catch (err) {
    return failedToStart(EXIT_CODES.INVALID_CONFIG, (err as Error).message);
  }
  let p: PreparedRun;
  try {
    listener({ type: 'phase', phase: 'init' });
    p = await prepareRun({ script: opts.script, env: opts.env ?? {}, overrides: opts.options ?? {}, listener, httpClient: opts.httpClient });
  } catch (err) {
    if (err instanceof PrepareError) return failedToStart(err.exitCode, err.message);
    throw err;
  }
  const onSignal = (): void => p.run.abort({ kind: 'signal', message: 'test run was aborted by a signal' });
  if (opts.signal?.aborted) onSignal();
  opts.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    const json = outputs.json ? new JsonLinesOutput(outputs.json, p.thresholds) : undefined;
    json?.attach(p.registry);
    const collector = new TimeSeriesCollector(p.metrics);
    const outcome: RunOutcome = { executionMs: 0, executed: false, timeSeries: collector.points, files: outputs.json ? [outputs.json] : [] };
    try {
      await p.pool.preInit(planInitialVus(p.scenarios, p.stripes));
    } catch (err) {
      return failedToStart(EXIT_CODES.SCRIPT_EXCEPTION, describeScriptError(err));
    }
    const setupOk = await runSetup(p, outcome);
    if (setupOk) {
      listener({ type: 'phase', phase: 'running' });
      await executeScenarios(p, { collector, ...(json ? { json } : {}), checkThresholds: true });
      outcome.executionMs = performance.now() - p.run.executionStart;
      outcome.executed = true;
      await runTeardown(p, outcome);
    }
    await json?.close();
    return await finishRun(p, opts, outcome);
  } finally {
    opts.signal?.removeEventListener('abort', onSignal);
    await p.dispose();
  }
}

export async function runSetup(p: PreparedRun, outcome: RunOutcome): Promise<boolean> {
  if (p.options.noSetup) return true;
  p.run.emit({ type: 'phase', phase: 'setup' });
  const r = await callLifecycle(p.vu0, 'setup', [], parseDuration(p.options.setupTimeout ?? '60s', 'setupTimeout'));
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

export async function runTeardown(p: PreparedRun, outcome: RunOutcome): Promise<void> {
  if (p.options.noTeardown) return;
  p.run.emit({ type: 'phase', phase: 'teardown' });
  const data = p.run.setupDataJson === undefined ? undefined : JSON.parse(p.run.setupDataJson);
  const r = await callLifecycle(p.vu0, 'teardown', [data], parseDuration(p.options.teardownTimeout ?? '60s', 'teardownTimeout'));
  if (r.kind !== 'ok' && r.kind !== 'missing') recordFailure(p, outcome, 'teardown', r, EXIT_CODES.TEARDOWN_TIMEOUT);
}

function recordFailure(p: PreparedRun, outcome: RunOutcome, phase: string, r: Exclude<LifecycleOutcome, { kind: 'ok' | 'missing' }>, timeoutCode: ExitCode): void {
  p.run.log('error', `${phase}() failed: ${r.message}`);
  if (r.kind === 'aborted') return; // run.abortCause already says 108
  outcome.scriptError ??= { exitCode: r.kind === 'timeout' ? timeoutCode : EXIT_CODES.SCRIPT_EXCEPTION, message: r.message };
}

export function failedToStart(exitCode: ExitCode, message: string): RunResult {
  return { exitCode, summary: undefined, thresholds: [], timeSeries: [], stdout: '', stderr: '', error: message, files: [] };
}
