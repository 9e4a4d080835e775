import { LEDGER_TYPES } from '@perf-lab/contract';
import type { UsersMap } from '../../config/schema-map.ts';
import { seededId } from '../../seed/seed-manifest.ts';
import { sqlId } from '../check-declarations.ts';
import { MAX_EXAMPLES, notApplicable, rows, verdict, type AuditContext, type Invariant } from '../invariant.ts';
import { paidOrder, sqlValue } from '../mapped-sql.ts';

/**
 * Each order-side row points at rows that exist and agree on whose they are. The schema keys
 * only order_id with foreign keys (and those can be switched off), so a row can name a user,
 * product, order or coupon that is not there: a payment with no order, an event for an order
 * that never existed, a ledger row of a user who does not exist. Sums and chains over existing
 * users never see such rows — and a paid order without a line, or a deleted seeded user or
 * product, takes what the other checks compare with it out of their view. Read through the
 * schema map; a payment's own user and its agreement with the ledger row are reference columns.
 */

/** One part of the check: the SQL of its dangling rows (kind, id, what); false or null where the system lacks what it reads. */
type Part = (ctx: AuditContext) => string | false | null;

const q = sqlId;
const has = (tables: ReadonlySet<string>, ...maps: readonly { readonly table: string }[]): boolean => maps.every((m) => tables.has(m.table));
const PARTS: readonly Part[] = [
  ({ schema: { orders: o, users: u }, tables }) => o && u && has(tables, o, u) && `SELECT 'order' AS kind, o.${q(o.id)} AS id, CONCAT('user ', o.${q(o.userId)}, ' does not exist') AS what
      FROM ${q(o.table)} o LEFT JOIN ${q(u.table)} u ON u.${q(u.id)} = o.${q(o.userId)} WHERE u.${q(u.id)} IS NULL`,
  ({ schema: { orders: o, coupons: c }, tables }) => o?.couponId && c && has(tables, o, c) ? `SELECT 'order', o.${q(o.id)}, CONCAT('coupon ', o.${q(o.couponId)}, ' does not exist')
      FROM ${q(o.table)} o LEFT JOIN ${q(c.table)} c ON c.${q(c.id)} = o.${q(o.couponId)} WHERE o.${q(o.couponId)} IS NOT NULL AND c.${q(c.id)} IS NULL` : null,
  ({ schema: { orders: o, orderItems: i }, tables }) => o && i && has(tables, o, i) && `SELECT 'order', o.${q(o.id)}, 'paid without any line'
      FROM ${q(o.table)} o WHERE ${paidOrder(o, 'o')} AND NOT EXISTS (SELECT 1 FROM ${q(i.table)} oi WHERE oi.${q(i.orderId)} = o.${q(o.id)})`,
  ({ schema: { orders: o, orderItems: i }, tables }) => o && i && has(tables, o, i) && `SELECT 'order line', oi.${q(i.id)}, CONCAT('of order ', oi.${q(i.orderId)}, ', which does not exist')
      FROM ${q(i.table)} oi LEFT JOIN ${q(o.table)} o ON o.${q(o.id)} = oi.${q(i.orderId)} WHERE o.${q(o.id)} IS NULL`,
  ({ schema: { orderItems: i, products: p }, tables }) => i && p && has(tables, i, p) && `SELECT 'order line', oi.${q(i.id)}, CONCAT('of order ', oi.${q(i.orderId)}, ': product ', oi.${q(i.productId)}, ' does not exist')
      FROM ${q(i.table)} oi LEFT JOIN ${q(p.table)} p ON p.${q(p.id)} = oi.${q(i.productId)} WHERE p.${q(p.id)} IS NULL`,
  // The reference payment also names its user; a declared one is tied to its user through the order.
  ({ schema: { payments: p, orders: o, reference }, tables }) => p && o && has(tables, p, o) && `SELECT 'payment', p.${q(p.id)}, CONCAT(${reference ? `'of user ', p.user_id, ' '` : "''"}, 'for order ', p.${q(p.orderId)}, ': ',
        IF(o.${q(o.id)} IS NULL, 'no such order', CONCAT('the order is ', ${o.status ? `o.${q(o.status)}` : "'paid'"}, ', of user ', o.${q(o.userId)})))
      FROM ${q(p.table)} p LEFT JOIN ${q(o.table)} o ON o.${q(o.id)} = p.${q(p.orderId)}
      WHERE o.${q(o.id)} IS NULL OR NOT (${paidOrder(o, 'o')})${reference ? ' OR o.user_id <> p.user_id' : ''}`,
  ({ schema: { ledger: l, users: u }, tables }) => l && u && has(tables, l, u) && `SELECT 'ledger row', h.${q(l.id)}, CONCAT(h.${q(l.transactionId)}, ': user ', h.${q(l.userId)}, ' does not exist')
      FROM ${q(l.table)} h LEFT JOIN ${q(u.table)} u ON u.${q(u.id)} = h.${q(l.userId)} WHERE u.${q(u.id)} IS NULL`,
  ({ schema: { ledger: l, payments: p, reference }, tables }) => reference && l && p && has(tables, l, p) ? `SELECT 'ledger row', h.id, CONCAT(h.transaction_id, ': user ', h.user_id, ', order ', COALESCE(h.order_id, 'none'),
        '; its payment: user ', p.user_id, ', order ', p.order_id)
      FROM balance_history h JOIN payments p ON p.transaction_id = h.transaction_id
      WHERE h.type = ${sqlValue(LEDGER_TYPES.payment)} AND (h.user_id <> p.user_id OR h.order_id IS NULL OR h.order_id <> p.order_id)` : null,
  // Matched through the order's key first (an index lookup), then exactly as text: an outbox keeps ids as text.
  ({ schema: { outbox: e, orders: o }, tables }) => e?.aggregateId && o && has(tables, e, o) ? `SELECT 'outbox event', e.${q(e.id)}, CONCAT(${e.type ? `e.${q(e.type)}` : "'event'"}, ' of order ', e.${q(e.aggregateId)}, ': ',
        IF(o.${q(o.id)} IS NULL, 'no such order', CONCAT('the order is ', ${o.status ? `o.${q(o.status)}` : "'paid'"})))
      FROM ${q(e.table)} e LEFT JOIN ${q(o.table)} o ON o.${q(o.id)} = e.${q(e.aggregateId)} AND CAST(o.${q(o.id)} AS CHAR) = e.${q(e.aggregateId)}
      WHERE ${e.aggregateType ? `LOWER(e.${q(e.aggregateType)}) = LOWER(${sqlValue(e.orderAggregate)})` : 'TRUE'} AND (o.${q(o.id)} IS NULL OR NOT (${paidOrder(o, 'o')}))` : null,
];

export const orderReferencesIntact: Invariant = {
  name: 'order.references-intact',
  meaning: 'orders, lines, payments, ledger rows and order events name users, products, orders and coupons that exist and agree; seeded users and products still exist',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const parts = PARTS.map((part) => part(ctx)).filter((sql): sql is string => typeof sql === 'string');
    if (parts.length === 0) return notApplicable('no order tables declared or present');
    // A union takes its column names from its first SELECT, whichever parts apply.
    const names = 'SELECT NULL AS kind, NULL AS id, NULL AS what FROM DUAL WHERE FALSE';
    const dangling = await rows(ctx.mysql, `${[names, ...parts].map((p) => `(${p})`).join(' UNION ALL ')} ORDER BY kind, id`);
    const examples = dangling.map((r) => `${r['kind']} ${r['id']}: ${r['what']}`);
    let missing = 0;
    const u = ctx.schema.users;
    // Seeded rows still there: known of the reference seed; a declared system's seed is checked
    // against its manifest before any load (seed-presence.ts); its own rows may come and go.
    const seedKnown = ctx.schema.reference;
    if (seedKnown && u && ctx.tables.has(u.table)) {
      const { firstUser, lastUser } = ctx.manifest.balanceRule;
      const [row] = await rows(ctx.mysql, `SELECT COUNT(*) AS n FROM ${q(u.table)} WHERE ${q(u.id)} BETWEEN ? AND ?`, [firstUser, lastUser]);
      const gone = lastUser - firstUser + 1 - Number(row?.['n'] ?? 0);
      // The ids only when some are gone: the gaps between the seeded users still there.
      if (gone > 0) examples.unshift(...(await missingUsers(ctx, u, firstUser, lastUser)));
      missing += gone;
    }
    const p = ctx.schema.products;
    if (seedKnown && p && ctx.tables.has(p.table) && ctx.manifest.products.length > 0) {
      const seeded = ctx.manifest.products.map((m) => seededId(ctx.ids.product, m.id));
      const found = await rows(ctx.mysql, `SELECT ${q(p.id)} AS id FROM ${q(p.table)} WHERE ${q(p.id)} IN (?)`, [seeded]);
      const present = new Set(found.map((r) => String(r['id'])));
      const gone = seeded.filter((id) => !present.has(String(id)));
      examples.unshift(...gone.map((id) => `product ${id}: seeded, no longer exists`));
      missing += gone.length;
    }
    return verdict(dangling.length + missing, examples);
  },
};

async function missingUsers(ctx: AuditContext, u: UsersMap, firstUser: number, lastUser: number): Promise<string[]> {
  const gaps = await rows(ctx.mysql,
    `SELECT prev + 1 AS first, id - 1 AS last FROM (
       SELECT id, COALESCE(LAG(id) OVER (ORDER BY id), ?) AS prev FROM (
         SELECT ${q(u.id)} AS id FROM ${q(u.table)} WHERE ${q(u.id)} BETWEEN ? AND ? UNION ALL SELECT ? + 1) s) g
     WHERE id - prev > 1 ORDER BY id LIMIT ${MAX_EXAMPLES}`, [firstUser - 1, firstUser, lastUser, lastUser]);
  return gaps.map((r) => (Number(r['first']) === Number(r['last']) ? `user ${r['first']}: seeded, no longer exists`
    : `users ${r['first']}..${r['last']}: seeded, no longer exist`));
}
