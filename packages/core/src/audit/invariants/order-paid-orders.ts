import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { couponUseTable, paidOrder, present, sqlValue } from '../mapped-sql.ts';

export const orderPaidComplete: Invariant = {
  name: 'order.paid-order-complete',
  meaning: 'each paid order has exactly one payment and exactly one outbox event',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { orders: o, payments: p, outbox: e } = ctx.schema;
    if (!o || !p || !present(ctx, o, p)) return notApplicable('no orders or payments declared or present');
    // Without an outbox (or one that names no aggregate) only the payment is counted.
    const events = e !== null && e.aggregateId !== null && ctx.tables.has(e.table) ? e : null;
    const eventJoin = events === null ? '' : `
       LEFT JOIN (SELECT ${sqlId(events.aggregateId!)} AS aggregate_id, COUNT(*) AS n FROM ${sqlId(events.table)}
                  ${events.aggregateType === null ? '' : `WHERE LOWER(${sqlId(events.aggregateType)}) = LOWER(${sqlValue(events.orderAggregate)})`}
                  GROUP BY ${sqlId(events.aggregateId!)}) e ON e.aggregate_id = CAST(o.${sqlId(o.id)} AS CHAR)`;
    const broken = await rows(ctx.mysql,
      `SELECT o.${sqlId(o.id)} AS id, COALESCE(p.n, 0) AS payments, ${events ? 'COALESCE(e.n, 0)' : '1'} AS events FROM ${sqlId(o.table)} o
       LEFT JOIN (SELECT ${sqlId(p.orderId)} AS order_id, COUNT(*) AS n FROM ${sqlId(p.table)} GROUP BY ${sqlId(p.orderId)}) p ON p.order_id = o.${sqlId(o.id)}${eventJoin}
       WHERE ${paidOrder(o, 'o')} AND (COALESCE(p.n, 0) <> 1${events ? ' OR COALESCE(e.n, 0) <> 1' : ''}) ORDER BY o.${sqlId(o.id)}`);
    return verdict(broken.length, broken.map((r) => `order ${r['id']}: ${r['payments']} payment(s)${events ? `, ${r['events']} event(s)` : ''}`),
      events ? undefined : 'the schema declares no outbox aggregate: payments counted only');
  },
};

export const orderCouponUsedOnce: Invariant = {
  name: 'order.coupon-used-once',
  meaning: 'each held coupon pays for at most one order, and only its holder uses it',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { orders: o, holders: h } = ctx.schema;
    const table = couponUseTable(ctx);
    if (!o || !h || o.couponId === null || !present(ctx, o) || !ctx.tables.has(table)) {
      return notApplicable('no orders with a coupon column, or no coupon holders, declared or present');
    }
    const [user, coupon] = [sqlId(o.userId), sqlId(o.couponId)];
    const reused = await rows(ctx.mysql,
      `SELECT ${user} AS user_id, ${coupon} AS coupon_id, COUNT(*) AS n FROM ${sqlId(o.table)} o WHERE ${coupon} IS NOT NULL AND ${paidOrder(o, 'o')}
       GROUP BY ${user}, ${coupon} HAVING n > 1`);
    const notHeld = await rows(ctx.mysql,
      `SELECT o.${sqlId(o.id)} AS id, o.${user} AS user_id, o.${coupon} AS coupon_id FROM ${sqlId(o.table)} o
       LEFT JOIN ${sqlId(table)} uc ON uc.${sqlId(h.userId)} = o.${user} AND uc.${sqlId(h.couponId)} = o.${coupon}
       WHERE o.${coupon} IS NOT NULL AND ${paidOrder(o, 'o')} AND uc.${sqlId(h.id)} IS NULL`);
    return verdict(reused.reduce((s, r) => s + Number(r['n']) - 1, 0) + notHeld.length, [
      ...reused.map((r) => `user ${r['user_id']} coupon ${r['coupon_id']} used ×${r['n']}`),
      ...notHeld.map((r) => `order ${r['id']}: user ${r['user_id']} does not hold coupon ${r['coupon_id']}`),
    ]);
  },
};
