/**
 * One iteration of a VU in a scenario, with k6's accounting: `iterations` and
 * `iteration_duration` for every iteration that ran to its end (also when the script threw —
 * the error is logged and the test goes on), nothing for an interrupted one.
 */
import { performance } from 'node:perf_hooks';
import { globalIndex } from '../config/execution-segment.ts';
import { takeUnawaitedSleeps } from '../modules/k6-core.ts';
import { TestAbortedError } from '../modules/script-errors.ts';
import { describeScriptError } from './describe-script-error.ts';
import { stopOnRecurringError } from './recurring-error.ts';
import type { ScenarioState } from './scenario-state.ts';
import type { Vu } from './vu.ts';

export type IterationOutcome = 'completed' | 'failed' | 'interrupted';

/**
 * Not an async function: the usual iteration (a promise from the script, nothing left pending,
 * no minIterationDuration) ends in one reaction to the script's promise, without the frame and
 * promises an async function costs on every iteration; the rest takes `finishLater`.
 */
export function runIteration(vu: Vu, state: ScenarioState, globalIteration?: number): Promise<IterationOutcome> {
  const local = state.iterationsStarted++;
  vu.iterationInScenario++;
  vu.iterationInInstance++;
  vu.scenarioIterationInInstance = local;
  vu.scenarioIterationInTest = globalIteration ?? globalIndex(state.iterationStripes, local);
  const listeners = vu.iterationListeners;
  for (let i = 0; i < listeners.length; i++) (listeners[i] as (iteration: number) => void)(vu.iterationInInstance);
  vu.bytesSent = 0;
  vu.bytesReceived = 0;
  if (vu.groupPath !== '') vu.setGroup('');
  const fn = vu.execFunction(state.scenario.exec);
  vu.busy = true;
  const lease = vu.lease;
  const start = performance.now();
  let result: unknown;
  let thenable: boolean;
  try {
    result = fn(vu.setupData());
    // Inside the try: a script's object may have a `then` getter that throws.
    thenable = result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function';
  } catch (err) {
    return settled(vu, state, start, lease, err);
  }
  if (thenable) {
    return Promise.resolve(result).then(
      () => afterScript(vu, state, start, lease, NO_ERROR),
      (err: unknown) => afterScript(vu, state, start, lease, err),
    );
  }
  return settled(vu, state, start, lease, NO_ERROR);
}

const NO_ERROR = Symbol('no error');

/** afterScript for a script that returned or threw synchronously; an engine error rejects, as it
 * would from inside the promise reaction. */
function settled(vu: Vu, state: ScenarioState, start: number, lease: number, err: unknown): Promise<IterationOutcome> {
  try {
    return Promise.resolve(afterScript(vu, state, start, lease, err));
  } catch (engineError) {
    return Promise.reject(engineError);
  }
}

/** The script's function returned (or threw `err`). `lease`: the VU's loan when the iteration
 * started; an interrupted iteration that a promise the engine does not control resumed after its
 * VU was lent again (executor.ts) is not this loan's, and counts for nothing. */
function afterScript(vu: Vu, state: ScenarioState, start: number, lease: number, err: unknown): IterationOutcome | Promise<IterationOutcome> {
  if (vu.lease !== lease) return 'interrupted';
  const run = vu.run;
  let failed = false;
  if (err !== NO_ERROR) {
    if (vu.interrupted || err instanceof TestAbortedError) return interrupted(vu, state);
    failed = true;
    const description = describeScriptError(err);
    run.log('error', description, { vu: vu.idInInstance, scenario: state.name });
    stopOnRecurringError(run, err, description);
  }
  if (vu.interrupted || run.aborted) return interrupted(vu, state);
  if (takeUnawaitedSleeps(vu.pendingSleeps) > 0) {
    run.warnOnce('unawaited-sleep', 'sleep() was called without await: in the perf-lab engine VUs are async, write `await sleep(seconds)`; without await it does not pause where it is called, only the end of the iteration waits for it');
  }
  if (vu.hasAsyncWork() || run.minIterationDurationMs > 0 || run.http.noVUConnectionReuse) return finishLater(vu, state, start, lease, failed);
  complete(vu, state, start);
  return failed ? 'failed' : 'completed';
}

async function finishLater(vu: Vu, state: ScenarioState, start: number, lease: number, failed: boolean): Promise<IterationOutcome> {
  const run = vu.run;
  // As k6's event loop: the iteration ends once nothing it started (un-awaited requests, timers) is pending.
  if (vu.hasAsyncWork()) await vu.whenIdle();
  if (vu.lease !== lease) return 'interrupted';
  if (vu.interrupted || run.aborted) return interrupted(vu, state);
  // A loop: a timer can fire up to a millisecond early (it counts from the event loop's cached,
  // whole-millisecond clock), and minIterationDuration is a minimum.
  for (let elapsed = performance.now() - start; run.minIterationDurationMs > elapsed; elapsed = performance.now() - start) {
    await pause(vu, run.minIterationDurationMs - elapsed);
    if (vu.interrupted) return interrupted(vu, state);
  }
  complete(vu, state, start);
  if (run.http.noVUConnectionReuse) await vu.http.close();
  return failed ? 'failed' : 'completed';
}

/** k6's accounting of an iteration that ran to its end. */
function complete(vu: Vu, state: ScenarioState, start: number): void {
  const run = vu.run;
  const tags = vu.tags();
  const m = run.metrics;
  m.iterations.add(1, tags);
  m.iterationDuration.add(performance.now() - start, tags);
  m.dataSent.add(vu.bytesSent, tags);
  m.dataReceived.add(vu.bytesReceived, tags);
  vu.busy = false;
  state.iterationsCompleted++;
  run.stats.iterationsCompleted++;
}

function interrupted(vu: Vu, state: ScenarioState): IterationOutcome {
  countInterruption(vu, state);
  return 'interrupted';
}

function countInterruption(vu: Vu, state: ScenarioState | undefined): void {
  if (!vu.busy) return;
  vu.busy = false;
  if (state) state.iterationsInterrupted++;
  vu.run.stats.iterationsInterrupted++;
}

/** Cuts a VU off (gracefulStop/gracefulRampDown expired, test aborted), counting its iteration once. */
export function interruptVu(vu: Vu): void {
  countInterruption(vu, vu.scenario);
  vu.interrupt();
}

function pause(vu: Vu, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      vu.pending.delete(pending);
      resolve();
    }, ms);
    const pending = { cancel: () => clearTimeout(t) };
    vu.pending.add(pending);
  });
}
