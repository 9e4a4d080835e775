import type { Outcome } from './classify.ts';
import { OP_LOG_PREFIX } from './metric-names.ts';

/**
 * One line per operation with its Jepsen outcome, so the audit can check every acknowledged
 * operation by id. Written with console.log: k6 sends it to --console-output FILE (or stderr),
 * perf-lab's engine to the run folder. Space-separated k=v with no quotes, so the line reads
 * the same raw or inside k6's logfmt `msg="…"`.
 */
export type OpFields = Readonly<Record<string, string | number | undefined>>;

export function logOp(enabled: boolean, op: string, outcome: Outcome, fields: OpFields): void {
  if (!enabled) return;
  let line = `${OP_LOG_PREFIX} ${op} outcome=${outcome}`;
  // A value never carries a space or a quote (a transport error's text may): the audit reads
  // a line that does not split into k=v pairs as malformed, i.e. as missing evidence.
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') line += ` ${k}=${String(v).replace(/[\s"\\]+/g, '_')}`;
  console.log(line);
}
