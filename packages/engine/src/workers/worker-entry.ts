/**
 * A worker process of `run({ workers: N })`: runs one execution segment of the test and reports
 * to the parent over IPC. Started by run-workers.ts with the tsx loader; not a public entry.
 */
import { TimeSeriesCollector } from '../output/time-series.ts';
import { createOutputs } from '../output/create-outputs.ts';
import { executeScenarios } from '../run/execute-scenarios.ts';
import { planInitialVus } from '../run/plan-vus.ts';
import { prepareRun, PrepareError, type PreparedRun } from '../run/prepare-run.ts';
import { EXIT_CODES } from '../run/exit-codes.ts';
import { describeScriptError } from '../runtime/describe-script-error.ts';
import { snapshotRegistry } from '../metrics/metric-snapshot.ts';
import type { ParentMessage, WorkerMessage } from './worker-protocol.ts';

const send = (m: WorkerMessage): void => {
  process.send?.(m);
};

/** Sends the last message, then exits once it is flushed: a handle the script left open (a
 * global setInterval, say) must not keep the worker, and so the parent, waiting. */
const sendAndExit = (m: WorkerMessage): void => {
  if (!process.send) process.exit(0);
  process.send(m, undefined, {}, () => process.exit(0));
};

let prepared: PreparedRun | undefined;
/** An abort that came while this worker was still preparing: applied as soon as it can be. */
let earlyAbort: Extract<ParentMessage, { type: 'abort' }>['cause'] | undefined;
let go: (() => void) | undefined;
const started = new Promise<void>((resolve) => (go = resolve));

process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'start') void work(msg);
  else if (msg.type === 'go') go?.();
  else if (msg.type === 'abort') {
    if (prepared) prepared.run.abort(msg.cause);
    else earlyAbort = msg.cause;
    go?.(); // a worker still waiting for the start goes straight to its (empty) end
  }
});

async function work(msg: Extract<ParentMessage, { type: 'start' }>): Promise<void> {
  try {
    prepared = await prepareRun({ script: msg.script, env: msg.env, overrides: msg.overrides, httpClient: msg.httpClient, listener: (event) => send({ type: 'event', event }) });
  } catch (err) {
    const code = err instanceof PrepareError ? err.exitCode : EXIT_CODES.SCRIPT_EXCEPTION;
    sendAndExit({ type: 'failed', exitCode: code, message: (err as Error).message });
    return;
  }
  const p = prepared;
  // Another worker failed while this one was preparing: without this, it would run its whole
  // duration, and the parent would wait for it.
  if (earlyAbort) p.run.abort(earlyAbort);
  p.run.setupDataJson = msg.setupDataJson;
  p.run.abortController.signal.addEventListener('abort', () => {
    if (p.run.abortCause) send({ type: 'aborted', cause: p.run.abortCause });
  });
  try {
    await p.pool.preInit(planInitialVus(p.scenarios, p.stripes));
  } catch (err) {
    sendAndExit({ type: 'failed', exitCode: EXIT_CODES.SCRIPT_EXCEPTION, message: describeScriptError(err) });
    return;
  }
  const collector = new TimeSeriesCollector(p.metrics);
  const outputs = createOutputs(msg.outputs, { thresholds: p.thresholds, log: (level, message) => p.run.log(level, message), forward: (index, text) => send({ type: 'output', index, text }) });
  for (const o of outputs) o.attach(p.registry);
  let index = 0;
  p.run.emit = (event) => {
    if (event.type === 'tick') send({ type: 'tick', index: index++, point: event.point });
    else send({ type: 'event', event });
  };
  await executeScenarios(p, {
    collector,
    outputs,
    checkThresholds: true,
    beforeStart: async () => {
      send({ type: 'ready' });
      await started;
    },
  });
  const executionMs = performance.now() - p.run.executionStart;
  const done: WorkerMessage = { type: 'done', metrics: snapshotRegistry(p.registry), groups: p.groups.toSummary(), executionMs, failedMessage: p.run.failedMessage, interruptedInFlight: p.run.stats.interruptedInFlight };
  await Promise.all(outputs.map((o) => o.close()));
  collector.dispose();
  await p.dispose();
  sendAndExit(done);
}
