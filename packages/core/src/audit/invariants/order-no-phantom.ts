import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { addedByRun, ledgerKind, paidOrder, present } from '../mapped-sql.ts';
import { recordId, type RecordId } from '../operation-line.ts';

/**
 * Jepsen's "unexpected": every paid order the run added traces back to one of its requests
 * (the order id a 201 named, or the key of a 201 or an indeterminate request), and every
 * payment and charge to a paid order the run asked for. An order nobody asked for — a
 * server-side retry that paid a second time — is a violation even when its books balance.
 */
export const orderNoPhantom: Invariant = {
  name: 'order.no-phantom-orders',
  meaning: 'every paid order, payment and charge the run added traces back to a request in its log',
  system: 'order',
  mapped: true,
  // An order whose request line was lost would look unasked-for.
  needsCompleteLog: true,
  async check(ctx) {
    if (!ctx.operations) return notApplicable('no run operations log');
    const { orders: o, payments: p, ledger: l } = ctx.schema;
    if (!o || !p || !present(ctx, o, p)) return notApplicable('no orders or payments declared or present');
    if (!ctx.runStart && ctx.operations.orders.length === 0) {
      return notApplicable('the run logged no orders and recorded no start, so earlier runs\' orders cannot be told apart');
    }
    const ackedIds = new Set<RecordId>();
    const asked = new Set<string>();
    // An earlier run on the seed may have asked for a row written after this run began.
    for (const op of [...ctx.operations.orders, ...(ctx.earlierOperations?.orders ?? [])]) {
      if (op.outcome === 'fail') continue;
      if (op.outcome === 'ack' && op.order !== undefined) ackedIds.add(op.order);
      if (op.key !== undefined) asked.add(`${op.user}\u0000${ctx.storedKey(op.key, op.user)}`);
    }
    const examples: string[] = [];
    let violations = 0;
    const [oid, key] = [sqlId(o.id), o.idempotencyKey === null ? 'NULL' : sqlId(o.idempotencyKey)];
    const paid = await rows(ctx.mysql,
      `SELECT ${oid} AS id, ${sqlId(o.userId)} AS user_id, ${key} AS idempotency_key FROM ${sqlId(o.table)} o
       WHERE ${paidOrder(o, 'o')}${addedByRun(ctx.runStart, o.table, oid)} ORDER BY ${oid}`);
    for (const r of paid) {
      const id = recordId(r['id']);
      const k = r['idempotency_key'] === null ? undefined : String(r['idempotency_key']);
      if (ackedIds.has(id) || (k !== undefined && asked.has(`${recordId(r['user_id'])}\u0000${k}`))) continue;
      violations++;
      examples.push(`order ${id} (user ${r['user_id']}, key ${k ?? 'none'}): paid, but no request in the log asked for it`);
    }
    // A payment must belong to a paid order; the order itself was judged above.
    const pid = `p.${sqlId(p.id)}`;
    const orphanPayments = await rows(ctx.mysql,
      `SELECT ${pid} AS id, p.${sqlId(p.orderId)} AS order_id, p.${sqlId(p.amount)} AS amount FROM ${sqlId(p.table)} p
       LEFT JOIN ${sqlId(o.table)} o ON o.${oid} = p.${sqlId(p.orderId)} AND ${paidOrder(o, 'o')}
       WHERE o.${oid} IS NULL${addedByRun(ctx.runStart, p.table, pid)} ORDER BY ${pid}`);
    for (const r of orphanPayments) {
      violations++;
      examples.push(`payment ${r['id']} of ${r['amount']} for order ${r['order_id']}: no such paid order`);
    }
    // No scenario tops balances up, so a charge the run added came from no request of it.
    if (l && ctx.tables.has(l.table)) {
      const hid = `h.${sqlId(l.id)}`;
      const charges = await rows(ctx.mysql,
        `SELECT ${hid} AS id, h.${sqlId(l.userId)} AS user_id, h.${sqlId(l.amount)} AS amount, h.${sqlId(l.transactionId)} AS transaction_id
         FROM ${sqlId(l.table)} h WHERE ${ledgerKind(l, 'h', 'charge')}${addedByRun(ctx.runStart, l.table, hid)} ORDER BY ${hid}`);
      for (const r of charges) {
        violations++;
        examples.push(`charge ${r['transaction_id']} of ${r['amount']} to user ${r['user_id']}: no request in the log`);
      }
    }
    return verdict(violations, examples);
  },
};
