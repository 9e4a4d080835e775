import { ORDER_PAID_FIELDS, type OrderPaidPayload } from '@perf-lab/contract';

type ScalarField = (typeof ORDER_PAID_FIELDS)[number];

/** What the database knows of an order, as the payload should say it: each field as JSON text, the lines as `linesText`. */
export type OrderFacts = { readonly [F in ScalarField]: string } & { readonly items: string };

/**
 * A value as JSON text, so that a type drift shows: the id `"1"` (a string) is not the id `1`.
 * An absent field reads "missing".
 */
export function jsonText(value: unknown): string {
  if (value === undefined) return 'missing';
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : JSON.stringify(value);
}

/** The database's value (a number, or a string past 2^53) as the payload's JSON would spell it. */
export function dbText(value: unknown): string {
  return value === null || value === undefined ? 'null' : String(value);
}

/** Lines as one comparable text, `product×quantity@price` in product order (the order of the lines does not matter). */
export function linesText(lines: readonly { readonly productId: unknown; readonly quantity: unknown; readonly unitPrice: unknown }[]): string {
  return lines.map((l) => `${jsonText(l.productId)}×${jsonText(l.quantity)}@${jsonText(l.unitPrice)}`).sort().join(' ') || 'none';
}

/**
 * How an event's payload (its JSON text, or the object a driver parsed) disagrees with its
 * order: one phrase per field, empty when it agrees. The contract's type names the fields, so a
 * field renamed there is renamed here.
 */
export function payloadDifferences(payload: unknown, order: OrderFacts): string[] {
  let parsed: unknown = payload;
  if (typeof payload === 'string') {
    try {
      parsed = JSON.parse(payload);
    } catch {
      return ['the payload is not JSON'];
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return ['the payload is not a JSON object'];
  const said = parsed as Partial<Record<keyof OrderPaidPayload, unknown>>;
  const found: string[] = [];
  for (const field of ORDER_PAID_FIELDS) {
    const text = jsonText(said[field]);
    if (text !== order[field]) found.push(`${field} ${text}, the order's ${order[field]}`);
  }
  const items = Array.isArray(said.items) && said.items.every((l) => l !== null && typeof l === 'object')
    ? linesText(said.items as OrderPaidPayload['items'])
    : `${jsonText(said.items)} (not a list of lines)`;
  if (items !== order.items) found.push(`items ${items}, the order's ${order.items}`);
  return found;
}
