import { existsSync, readFileSync } from 'node:fs';
import { OP_LOG_PREFIX } from '@perf-lab/scenarios/metric-names';
import { emptyCounts, OUTCOME_CLASSES, type OutcomeClass, type OutcomeCounts } from './outcome-tally.ts';

export interface OpRecord {
  readonly op: string;
  readonly cls: OutcomeClass;
  readonly reason: string;
  /** The response's duration; absent in logs written before the scenarios recorded it. */
  readonly ms: number | undefined;
}

const OP_LINE = new RegExp(`${OP_LOG_PREFIX} (\\S+) ((?:\\S+=\\S*\\s?)+)`);

/**
 * One operation line, raw (the embedded engine) or inside k6's logfmt `msg="…"`. Lines
 * without a `class` field (older scenarios) are classed from the reason: OK is a success,
 * transport errors and unexpected statuses are system failures, anything else a business one.
 */
export function parseOpLine(line: string): OpRecord | undefined {
  const match = OP_LINE.exec(line);
  if (!match) return undefined;
  const fields = new Map(match[2]!.trim().split(/\s+/).map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1).replace(/"$/, '')] as const;
  }));
  const reason = fields.get('reason') ?? 'UNKNOWN';
  const given = fields.get('class');
  const cls: OutcomeClass = (OUTCOME_CLASSES as readonly string[]).includes(given ?? '') ? given as OutcomeClass
    : reason === 'OK' ? 'success' : /^(ERROR_|HTTP_|CONNECTION_ERROR)/.test(reason) ? 'system' : 'business';
  const ms = fields.has('ms') ? Number(fields.get('ms')) : undefined;
  return { op: match[1]!, cls, reason, ms: Number.isFinite(ms) ? ms : undefined };
}

/** A finished run's operation records, read from its operations log (either engine's format). */
export function readOpRecords(file: string): OpRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').flatMap((line) => parseOpLine(line) ?? []);
}

/** Operations counted by class and reason. */
export function countOutcomes(records: readonly OpRecord[]): OutcomeCounts {
  const totals = emptyCounts();
  for (const op of records) totals[op.cls][op.reason] = (totals[op.cls][op.reason] ?? 0) + 1;
  return totals;
}
