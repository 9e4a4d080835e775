import path from 'node:path';
import { BUSINESS_REASONS, type ApiContract, type BusinessReason, type OperationContract } from '@perf-lab/contract';
import type { AuditReport } from '../audit/audit.ts';
import type { ParsedLine } from '../audit/operation-line.ts';
import { resultLabel } from '../audit/result-label.ts';
import { reasonLabel } from '../run/k6-error-names.ts';
import { readOpRecords, type OpRecord } from '../run/op-line.ts';
import { OUTCOME_CLASSES, type OutcomeClass } from '../run/outcome-tally.ts';
import { RUN_FILES } from '../run/run-record.ts';

/**
 * What a run's responses meant for the business, in words a reader of the terminal knows —
 * issued, sold out, already issued; paid, insufficient balance, lock timeout — with counts and
 * shares, for the command's own output (the report has the same as a table).
 */
export interface OutcomeRow {
  readonly cls: OutcomeClass;
  /** "issued", "sold out", "system error". */
  readonly outcome: string;
  /** The API's code, or the system error's cause ("1212 connection refused"); empty for a success. */
  readonly code: string;
  readonly count: number;
  /** Of all responses, 0..1. */
  readonly share: number;
}

/** The operations the scenarios record (the audit's names), and what a success of each means. */
type OperationName = Exclude<ParsedLine['kind'], 'other' | 'malformed' | 'none'>;
const OPERATIONS: Readonly<Record<OperationName, { readonly contract: (api: ApiContract) => OperationContract; readonly success: string }>> = {
  'coupon.issue': { contract: (api) => api.couponIssue, success: 'issued' },
  'order.create': { contract: (api) => api.orderCreate, success: 'paid' },
};
const REASON_WORDS: Readonly<Record<BusinessReason, string>> = {
  soldOut: 'sold out', duplicate: 'already issued', insufficientBalance: 'insufficient balance',
  insufficientStock: 'insufficient stock', lockTimeout: 'lock timeout', other: 'other refusal',
};

/** A finished run's outcomes, from its operations log: per operation, so a storm's coupons and orders each say what they are. */
export function runOutcomeRows(runDir: string, api: ApiContract): OutcomeRow[] {
  return outcomeRows(readOpRecords(path.join(runDir, RUN_FILES.operations)), api);
}

export function outcomeRows(records: readonly OpRecord[], api: ApiContract): OutcomeRow[] {
  const counts = new Map<string, { cls: OutcomeClass; outcome: string; code: string; count: number }>();
  for (const r of records) {
    const known = Object.prototype.hasOwnProperty.call(OPERATIONS, r.op) ? OPERATIONS[r.op as OperationName] : undefined;
    const row = r.cls === 'success' ? { outcome: known?.success ?? `${r.op} ok`, code: '' }
      : r.cls === 'business' ? { outcome: refusalWord(known?.contract(api), r.reason), code: r.reason }
        : { outcome: 'system error', code: reasonLabel(r.reason) };
    const key = `${r.cls}\u0000${row.outcome}\u0000${row.code}`;
    const found = counts.get(key);
    if (found) found.count++;
    else counts.set(key, { cls: r.cls, ...row, count: 1 });
  }
  const total = records.length;
  const rank = (cls: OutcomeClass) => OUTCOME_CLASSES.indexOf(cls);
  const rows: OutcomeRow[] = [...counts.values()].sort((a, b) => rank(a.cls) - rank(b.cls) || b.count - a.count)
    .map((r) => ({ ...r, share: total === 0 ? 0 : r.count / total }));
  if (!rows.some((r) => r.cls === 'system')) rows.push({ cls: 'system', outcome: 'system errors', code: '', count: 0, share: 0 });
  return rows;
}

function refusalWord(contract: OperationContract | undefined, code: string): string {
  const reason = contract && BUSINESS_REASONS.find((r) => contract.refusals.codes[r]?.includes(code));
  return reason ? REASON_WORDS[reason] : 'refused';
}

/** "ok: 17 invariants held (4 not applicable)", "VIOLATED: coupon.no-over-issue (92)", "UNKNOWN: <reason>". */
export function auditSummary(report: Pick<AuditReport, 'verdict' | 'invariants' | 'reasons'>): { readonly verdict: string; readonly detail: string } {
  const words = report.invariants.map((i) => resultLabel(i).word);
  const held = words.filter((w) => w === 'ok').length;
  const na = words.filter((w) => w === 'n/a').length;
  if (report.verdict === 'ok') return { verdict: 'ok', detail: `${held} invariants held${na > 0 ? ` (${na} not applicable)` : ''}` };
  const violated = report.invariants.filter((i) => resultLabel(i).word === 'VIOLATED').map((i) => `${i.name} (${i.violations})`);
  if (report.verdict === 'violated') return { verdict: 'VIOLATED', detail: violated.join(', ') };
  return { verdict: 'UNKNOWN', detail: [...violated.map((v) => `violated ${v}`), ...report.reasons].join('; ') || 'the evidence did not decide' };
}
