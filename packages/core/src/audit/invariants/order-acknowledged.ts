import { recordId, type RecordId } from '../operation-line.ts';
import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { paidOrder, sqlValue } from '../mapped-sql.ts';

/** Jepsen's rules for the order flow: a 201 must exist as a paid order; a refused one must not. */
export const orderAcknowledgedPersisted: Invariant = {
  name: 'order.acknowledged-persisted',
  meaning: 'every acknowledged (201) order exists, is paid and belongs to its user; no refused order was paid',
  system: 'order',
  mapped: true,
  async check(ctx) {
    if (!ctx.operations || ctx.operations.orders.length === 0) return notApplicable('no order operations in the run log');
    const o = ctx.schema.orders;
    if (!o || !ctx.tables.has(o.table)) return notApplicable('no orders table declared or present');
    const [id, user, table] = [sqlId(o.id), sqlId(o.userId), sqlId(o.table)];
    const status = o.status === null ? sqlValue(o.paidStatus) : sqlId(o.status);
    const acked = ctx.operations.orders.filter((op) => op.outcome === 'ack');
    const ids = acked.map((op) => op.order).filter((found): found is RecordId => found !== undefined);
    const found = new Map<RecordId, { user: RecordId; status: string }>();
    for (let i = 0; i < ids.length; i += 5000) {
      const batch = ids.slice(i, i + 5000);
      for (const r of await rows(ctx.mysql, `SELECT ${id} AS id, ${user} AS user_id, ${status} AS status FROM ${table} WHERE ${id} IN (?)`, [batch])) {
        found.set(recordId(r['id']), { user: recordId(r['user_id']), status: String(r['status']) });
      }
    }
    const examples: string[] = [];
    let violations = 0;
    for (const op of acked) {
      const order = op.order === undefined ? undefined : found.get(op.order);
      if (order && order.status === o.paidStatus && order.user === op.user) continue;
      violations++;
      examples.push(op.order === undefined ? `user ${op.user}: 201 without an orderId`
        : order ? `order ${op.order}: ${order.status}, user ${order.user} (acknowledged to user ${op.user})` : `order ${op.order} (user ${op.user}): missing`);
    }
    // A definite failure sent with a key must have left no paid order under that key (as the system stores it).
    const refused = o.idempotencyKey === null ? [] : ctx.operations.orders.filter((op) => op.outcome === 'fail' && op.key);
    const key = o.idempotencyKey === null ? '' : sqlId(o.idempotencyKey);
    for (let i = 0; i < refused.length; i += 2000) {
      const batch = refused.slice(i, i + 2000);
      const hits = await rows(ctx.mysql,
        `SELECT ${id} AS id, ${user} AS user_id, ${key} AS idempotency_key FROM ${table} o
         WHERE ${paidOrder(o, 'o')} AND (${user}, ${key}) IN (${batch.map(() => '(?, ?)').join(', ')})`,
        batch.flatMap((op) => [op.user, ctx.storedKey(op.key!, op.user)]));
      for (const r of hits) {
        const acknowledgedElsewhere = acked.some((a) => a.user === recordId(r['user_id']) && a.key !== undefined && ctx.storedKey(a.key, a.user) === r['idempotency_key']);
        if (acknowledgedElsewhere) continue;
        violations++;
        examples.push(`order ${r['id']}: paid although its request (user ${r['user_id']}) was refused`);
      }
    }
    const indeterminate = ctx.operations.orders.filter((op) => op.outcome === 'indeterminate').length;
    return verdict(violations, examples, indeterminate > 0 ? `${indeterminate} indeterminate (timeout/5xx) orders` : undefined);
  },
};
