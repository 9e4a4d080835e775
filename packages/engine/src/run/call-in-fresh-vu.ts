/**
 * setup(), teardown() and handleSummary() each run in a VU 0 of their own, as in k6: the script is
 * evaluated again for each, so what one of them leaves in module state the next does not see.
 */
import { describeScriptError } from '../runtime/describe-script-error.ts';
import { TestAbortedError } from '../modules/script-errors.ts';
import type { VuPool } from '../runtime/vu-pool.ts';
import { callExportedFunction, type ExportedFunctionOutcome } from './call-exported-function.ts';

export async function callInFreshVu(pool: VuPool, name: 'setup' | 'teardown' | 'handleSummary', args: unknown[], timeoutMs: number): Promise<ExportedFunctionOutcome> {
  let vu;
  try {
    vu = await pool.initLifecycleVu();
  } catch (err) {
    if (err instanceof TestAbortedError) return { kind: 'aborted', message: err.message };
    return { kind: 'exception', message: `could not initialize the VU for ${name}(): ${describeScriptError(err)}` };
  }
  return callExportedFunction(vu, name, args, timeoutMs);
}
