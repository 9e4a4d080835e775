import { existsSync, readFileSync } from 'node:fs';
import { REFERENCE_API, type IdFormats } from '@perf-lab/contract';
import { parseOperationLine, type Outcome, type RecordId } from './operation-line.ts';

export type { Outcome, RecordId } from './operation-line.ts';

/** The run's per-operation outcomes, indexed for the audit. */
export interface CouponOps {
  readonly ack: Set<RecordId>;
  /** Users with a definite failure, by reason. */
  readonly fail: Map<RecordId, string>;
  readonly indeterminate: Set<RecordId>;
}

export interface OrderOp {
  readonly user: RecordId;
  readonly outcome: Outcome;
  readonly order: RecordId | undefined;
  readonly key: string | undefined;
  readonly coupon: RecordId | undefined;
  readonly reason: string;
}

export interface OperationsLog {
  /** By coupon id. */
  readonly coupons: Map<RecordId, CouponOps>;
  readonly orders: OrderOp[];
  /** Well-formed operation lines. */
  readonly lines: number;
  /** Lines that name an operation but cannot be trusted (cut, a field missing or not a number). */
  readonly malformed: number;
  /** Up to 5, as `line N: why`. */
  readonly malformedExamples: string[];
}

type Building = { -readonly [K in keyof OperationsLog]: OperationsLog[K] };

export function emptyOperationsLog(): OperationsLog {
  return { coupons: new Map(), orders: [], lines: 0, malformed: 0, malformedExamples: [] };
}

export function addOperationLine(log: Building, line: string, lineNumber: number, ids: IdFormats = REFERENCE_API.ids): void {
  const parsed = parseOperationLine(line, ids);
  if (parsed.kind === 'none') return;
  if (parsed.kind === 'malformed') {
    log.malformed++;
    if (log.malformedExamples.length < 5) log.malformedExamples.push(`line ${lineNumber}: ${parsed.why}`);
    return;
  }
  log.lines++;
  if (parsed.kind === 'coupon.issue') {
    let ops = log.coupons.get(parsed.coupon);
    if (!ops) log.coupons.set(parsed.coupon, (ops = { ack: new Set(), fail: new Map(), indeterminate: new Set() }));
    if (parsed.outcome === 'ack') ops.ack.add(parsed.user);
    else if (parsed.outcome === 'fail') ops.fail.set(parsed.user, parsed.reason);
    else ops.indeterminate.add(parsed.user);
  } else if (parsed.kind === 'order.create') {
    const { user, outcome, order, key, coupon, reason } = parsed;
    log.orders.push({ user, outcome, order, key, coupon, reason });
  }
}

/** Reads and indexes the log; undefined when the file does not exist. */
export function readOperationsLog(file: string, ids: IdFormats = REFERENCE_API.ids): OperationsLog | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const log: Building = emptyOperationsLog();
  const lines = text.split('\n');
  // Every line is written with its newline: text after the last one is a line cut short.
  const cut = lines.pop() ?? '';
  lines.forEach((line, i) => addOperationLine(log, line.endsWith('\r') ? line.slice(0, -1) : line, i + 1, ids));
  if (cut.trim() !== '') {
    log.malformed++;
    if (log.malformedExamples.length < 5) log.malformedExamples.push(`line ${lines.length + 1}: cut short (no end of line)`);
  }
  return log;
}
