/**
 * One line of the run's operations log, parsed strictly. The line is evidence: a field that
 * is missing, cut short or not a number makes the line malformed — it never becomes a query
 * parameter (a cut `order=` must not read as order 0, `coupon=NaN` must not reach SQL).
 *
 * Lines arrive raw (perf-lab's engine: `perf-lab-op <op> outcome=<o> k=v …`) or inside k6's
 * logfmt (`time=… level=info msg="perf-lab-op …" source=console`).
 */
import { REFERENCE_API, type IdFormats } from '@perf-lab/contract';

export type Outcome = 'ack' | 'fail' | 'indeterminate';

/**
 * An id as the system under test writes it: a number where its ids are `{n}`, otherwise the
 * string the API contract's format makes (`test-user-42`). The audit compares ids read from
 * MySQL through recordId() so both sides have the same type.
 */
export type RecordId = number | string;

export function recordId(value: unknown): RecordId {
  if (typeof value === 'number') return value;
  const text = String(value);
  return ID.test(text) ? Number(text) : text;
}

export const OP_PREFIX = 'perf-lab-op';

export type ParsedLine =
  | { readonly kind: 'coupon.issue'; readonly outcome: Outcome; readonly coupon: RecordId; readonly user: RecordId; readonly reason: string }
  | {
    readonly kind: 'order.create'; readonly outcome: Outcome; readonly user: RecordId; readonly order: RecordId | undefined;
    readonly key: string | undefined; readonly coupon: RecordId | undefined; readonly reason: string;
  }
  /** Well-formed, of an operation the audit has no check for: it still counts as logged. */
  | { readonly kind: 'other'; readonly op: string; readonly outcome: Outcome }
  | { readonly kind: 'malformed'; readonly why: string }
  | { readonly kind: 'none' };

const OUTCOMES: ReadonlySet<string> = new Set(['ack', 'fail', 'indeterminate']);
const ID = /^[1-9]\d{0,15}$/;
const STATUS = /^\d{1,3}$/;
/** An order id the system made up (a UUID, a prefixed number): any short token. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** The op text of a line: raw, or the msg="…" of k6's logfmt (with its escapes undone). */
function opText(line: string): string | undefined {
  if (line.startsWith(OP_PREFIX)) return line;
  const at = line.indexOf(`msg="${OP_PREFIX}`);
  if (at < 0) return line.includes(OP_PREFIX) ? '' : undefined;
  let text = '';
  for (let i = at + 5; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) text += line[++i];
    else if (ch === '"') return text;
    else text += ch;
  }
  // No closing quote: the line was cut.
  return '';
}

/** The pattern of ids written in a format: `test-user-{n}` accepts `test-user-42` only. */
function formatPattern(format: string): RegExp {
  const [before = '', after = ''] = format.split('{n}');
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${quote(before)}[1-9]\\d{0,15}${quote(after)}$`);
}

function id(fields: ReadonlyMap<string, string>, name: string, format: string | undefined): RecordId | undefined | 'bad' {
  const raw = fields.get(name);
  if (raw === undefined) return undefined;
  if (format === undefined) return TOKEN.test(raw) ? recordId(raw) : 'bad';
  if (format === '{n}') return ID.test(raw) ? Number(raw) : 'bad';
  return formatPattern(format).test(raw) ? raw : 'bad';
}

/** `ids`: how the system writes user and coupon ids (the run's API contract); an id of another shape is malformed. */
export function parseOperationLine(line: string, ids: IdFormats = REFERENCE_API.ids): ParsedLine {
  const text = opText(line);
  if (text === undefined) return { kind: 'none' };
  const parts = text.trim().split(/\s+/);
  if (parts[0] !== OP_PREFIX || !parts[1] || parts[1].includes('=')) return { kind: 'malformed', why: 'no operation name' };
  const fields = new Map<string, string>();
  for (const kv of parts.slice(2)) {
    const i = kv.indexOf('=');
    if (i <= 0) return { kind: 'malformed', why: `"${kv}" is not key=value` };
    fields.set(kv.slice(0, i), kv.slice(i + 1));
  }
  const outcome = fields.get('outcome');
  if (!outcome || !OUTCOMES.has(outcome)) return { kind: 'malformed', why: `outcome "${outcome ?? ''}"` };
  const status = fields.get('status');
  if (status === undefined || !STATUS.test(status)) return { kind: 'malformed', why: `status "${status ?? ''}"` };
  const reason = fields.get('reason');
  if (!reason) return { kind: 'malformed', why: 'no reason' };
  const o = outcome as Outcome;
  const user = id(fields, 'user', ids.user);
  const coupon = id(fields, 'coupon', ids.coupon);
  if (parts[1] === 'coupon.issue') {
    if (coupon === undefined || coupon === 'bad') return { kind: 'malformed', why: `coupon "${fields.get('coupon') ?? ''}"` };
    if (user === undefined || user === 'bad') return { kind: 'malformed', why: `user "${fields.get('user') ?? ''}"` };
    return { kind: 'coupon.issue', outcome: o, coupon, user, reason };
  }
  if (parts[1] === 'order.create') {
    const order = id(fields, 'order', undefined);
    if (user === undefined || user === 'bad') return { kind: 'malformed', why: `user "${fields.get('user') ?? ''}"` };
    if (order === 'bad') return { kind: 'malformed', why: `order "${fields.get('order')}"` };
    if (coupon === 'bad') return { kind: 'malformed', why: `coupon "${fields.get('coupon')}"` };
    const key = fields.get('key');
    if (key === '') return { kind: 'malformed', why: 'empty key' };
    return { kind: 'order.create', outcome: o, user, order, key, coupon, reason };
  }
  return { kind: 'other', op: parts[1], outcome: o };
}
