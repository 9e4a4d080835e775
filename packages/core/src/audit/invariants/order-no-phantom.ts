import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { recordId, type RecordId } from '../operation-line.ts';
import { firstRunId } from '../run-start.ts';

/**
 * Jepsen's "unexpected": every paid order the run added traces back to one of its requests
 * (the order id a 201 named, or the Idempotency-Key of a 201 or an indeterminate request), and
 * every payment and charge to a paid order the run asked for. An order nobody asked for — a
 * server-side retry that paid a second time — is a violation even when its books balance.
 */
export const orderNoPhantom: Invariant = {
  name: 'order.no-phantom-orders',
  meaning: 'every paid order, payment and charge the run added traces back to a request in its log',
  system: 'order',
  // An order whose request line was lost would look unasked-for.
  needsCompleteLog: true,
  async check(ctx) {
    if (!ctx.operations) return notApplicable('no run operations log');
    if (!ctx.tables.has('orders') || !ctx.tables.has('payments')) return notApplicable('no orders/payments tables');
    if (!ctx.runStart && ctx.operations.orders.length === 0) {
      return notApplicable('the run logged no orders and recorded no start, so earlier runs\' orders cannot be told apart');
    }
    const ackedIds = new Set<RecordId>();
    const asked = new Set<string>();
    // An earlier run on the seed may have asked for a row written after this run began.
    for (const op of [...ctx.operations.orders, ...(ctx.earlierOperations?.orders ?? [])]) {
      if (op.outcome === 'fail') continue;
      if (op.outcome === 'ack' && op.order !== undefined) ackedIds.add(op.order);
      if (op.key !== undefined) asked.add(`${op.user}\u0000${op.key}`);
    }
    const examples: string[] = [];
    let violations = 0;
    const paid = await rows(ctx.mysql,
      "SELECT id, user_id, idempotency_key FROM orders WHERE status = 'PAID' AND id >= ? ORDER BY id", [firstRunId(ctx.runStart, 'orders')]);
    for (const r of paid) {
      const id = recordId(r['id']);
      const key = r['idempotency_key'] === null ? undefined : String(r['idempotency_key']);
      if (ackedIds.has(id) || (key !== undefined && asked.has(`${recordId(r['user_id'])}\u0000${key}`))) continue;
      violations++;
      examples.push(`order ${id} (user ${r['user_id']}, key ${key ?? 'none'}): paid, but no request in the log asked for it`);
    }
    // A payment must belong to a paid order; the order itself was judged above.
    const orphanPayments = await rows(ctx.mysql,
      `SELECT p.id, p.order_id, p.amount FROM payments p LEFT JOIN orders o ON o.id = p.order_id AND o.status = 'PAID'
       WHERE p.id >= ? AND o.id IS NULL ORDER BY p.id`, [firstRunId(ctx.runStart, 'payments')]);
    for (const r of orphanPayments) {
      violations++;
      examples.push(`payment ${r['id']} of ${r['amount']} for order ${r['order_id']}: no such paid order`);
    }
    // No scenario tops balances up, so a charge the run added came from no request of it.
    if (ctx.tables.has('balance_history')) {
      const charges = await rows(ctx.mysql,
        "SELECT id, user_id, amount, transaction_id FROM balance_history WHERE type = 'CHARGE' AND id >= ? ORDER BY id",
        [firstRunId(ctx.runStart, 'balance_history')]);
      for (const r of charges) {
        violations++;
        examples.push(`charge ${r['transaction_id']} of ${r['amount']} to user ${r['user_id']}: no request in the log`);
      }
    }
    return verdict(violations, examples);
  },
};
