/**
 * Calls the script's exported setup(), teardown() or handleSummary() in the VU it is given (a
 * fresh VU 0, where __VU is 0: call-in-fresh-vu.ts), under a timeout; setup/teardown samples
 * carry the group tag "::setup"/"::teardown" as in k6.
 */
import { TestAbortedError } from '../modules/script-errors.ts';
import { describeScriptError } from '../runtime/describe-script-error.ts';
import type { VuPhase } from '../modules/module-vu.ts';
import type { Vu } from '../runtime/vu.ts';
import { delay } from '../executors/executor.ts';

export type ExportedFunctionOutcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'timeout' | 'exception' | 'aborted'; message: string };

export async function callExportedFunction(vu: Vu, name: 'setup' | 'teardown' | 'handleSummary', args: unknown[], timeoutMs: number): Promise<ExportedFunctionOutcome> {
  const fn = vu.exports[name];
  if (fn === undefined) return { kind: 'missing' };
  if (typeof fn !== 'function') return { kind: 'exception', message: `exported ${name} is not a function` };
  vu.phase = name === 'handleSummary' ? 'summary' : (name as VuPhase);
  vu.setGroup(name === 'handleSummary' ? '' : `::${name}`);
  vu.bytesSent = 0;
  vu.bytesReceived = 0;
  const timer = delay(timeoutMs);
  try {
    const call = Promise.resolve().then(() => (fn as (...a: unknown[]) => unknown)(...args));
    const result = await Promise.race([call.then((value) => ({ done: true as const, value })), timer.promise.then(() => ({ done: false as const }))]);
    if (!result.done) {
      vu.interrupt();
      return { kind: 'timeout', message: `${name}() execution timed out after ${Math.round(timeoutMs / 1000)} seconds` };
    }
    return { kind: 'ok', value: result.value };
  } catch (err) {
    if (err instanceof TestAbortedError) return { kind: 'aborted', message: err.message };
    return { kind: 'exception', message: describeScriptError(err) };
  } finally {
    timer.cancel();
    if (name !== 'handleSummary' && !vu.interrupted) {
      const tags = vu.tags();
      vu.run.metrics.dataSent.add(vu.bytesSent, tags);
      vu.run.metrics.dataReceived.add(vu.bytesReceived, tags);
    }
    vu.setGroup('');
    vu.phase = 'vu';
  }
}

/** k6 hands VUs a JSON copy of setup()'s result; values JSON cannot hold are an error there too. */
export function serializeSetupData(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  return json;
}
