import { TABLES } from '@perf-lab/contract';
import { MAX_EXAMPLES, notApplicable, rows, verdict, type AuditContext, type Invariant } from '../invariant.ts';

/**
 * Each order-side row points at rows that exist and agree on whose they are. The schema keys
 * only order_id with foreign keys (and those can be switched off), so a row can name a user,
 * product, order or coupon that is not there: a payment with no order, an event for an order
 * that never existed, a ledger row of a user who does not exist. Sums and chains over existing
 * users never see such rows — and a paid order without a line, or a deleted seeded user or
 * product, takes what the other checks compare with it out of their view.
 */
const CHECKS: readonly { readonly needs: readonly string[]; readonly sql: string }[] = [
  { needs: [TABLES.orders, TABLES.users], sql: `SELECT 'order' AS kind, o.id AS id, CONCAT('user ', o.user_id, ' does not exist') AS what
      FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL` },
  { needs: [TABLES.orders, TABLES.coupons], sql: `SELECT 'order', o.id, CONCAT('coupon ', o.coupon_id, ' does not exist')
      FROM orders o LEFT JOIN coupons c ON c.id = o.coupon_id WHERE o.coupon_id IS NOT NULL AND c.id IS NULL` },
  { needs: [TABLES.orders, TABLES.orderItems], sql: `SELECT 'order', o.id, 'paid without any line'
      FROM orders o WHERE o.status = 'PAID' AND NOT EXISTS (SELECT 1 FROM order_items oi WHERE oi.order_id = o.id)` },
  { needs: [TABLES.orders, TABLES.orderItems], sql: `SELECT 'order line', oi.id, CONCAT('of order ', oi.order_id, ', which does not exist')
      FROM order_items oi LEFT JOIN orders o ON o.id = oi.order_id WHERE o.id IS NULL` },
  { needs: [TABLES.orderItems, TABLES.products], sql: `SELECT 'order line', oi.id, CONCAT('of order ', oi.order_id, ': product ', oi.product_id, ' does not exist')
      FROM order_items oi LEFT JOIN products p ON p.id = oi.product_id WHERE p.id IS NULL` },
  { needs: [TABLES.payments, TABLES.orders], sql: `SELECT 'payment', p.id, CONCAT('of user ', p.user_id, ' for order ', p.order_id, ': ',
        IF(o.id IS NULL, 'no such order', CONCAT('the order is ', o.status, ', of user ', o.user_id)))
      FROM payments p LEFT JOIN orders o ON o.id = p.order_id WHERE o.id IS NULL OR o.status <> 'PAID' OR o.user_id <> p.user_id` },
  { needs: [TABLES.balanceHistory, TABLES.users], sql: `SELECT 'ledger row', h.id, CONCAT(h.transaction_id, ': user ', h.user_id, ' does not exist')
      FROM balance_history h LEFT JOIN users u ON u.id = h.user_id WHERE u.id IS NULL` },
  { needs: [TABLES.balanceHistory, TABLES.payments], sql: `SELECT 'ledger row', h.id, CONCAT(h.transaction_id, ': user ', h.user_id, ', order ', COALESCE(h.order_id, 'none'),
        '; its payment: user ', p.user_id, ', order ', p.order_id)
      FROM balance_history h JOIN payments p ON p.transaction_id = h.transaction_id
      WHERE h.type = 'PAYMENT' AND (h.user_id <> p.user_id OR h.order_id IS NULL OR h.order_id <> p.order_id)` },
  // Matched through the order's primary key (the id is text in the outbox), then exactly.
  { needs: [TABLES.outboxEvents, TABLES.orders], sql: `SELECT 'outbox event', e.id, CONCAT(e.type, ' of order ', e.aggregate_id, ': ',
        IF(o.id IS NULL, 'no such order', CONCAT('the order is ', o.status)))
      FROM outbox_events e LEFT JOIN orders o ON o.id = CAST(e.aggregate_id AS UNSIGNED) AND CAST(o.id AS CHAR) = e.aggregate_id
      WHERE LOWER(e.aggregate_type) = 'order' AND (o.id IS NULL OR o.status <> 'PAID')` },
];

export const orderReferencesIntact: Invariant = {
  name: 'order.references-intact',
  meaning: 'orders, lines, payments, ledger rows and order events name users, products, orders and coupons that exist and agree; seeded users and products still exist',
  system: 'order',
  async check(ctx) {
    const parts = CHECKS.filter((c) => c.needs.every((t) => ctx.tables.has(t)));
    if (parts.length === 0) return notApplicable('no order tables');
    const dangling = await rows(ctx.mysql, `${parts.map((p) => `(${p.sql})`).join(' UNION ALL ')} ORDER BY kind, id`);
    const examples = dangling.map((r) => `${r['kind']} ${r['id']}: ${r['what']}`);
    let missing = 0;
    if (ctx.tables.has(TABLES.users)) {
      const { firstUser, lastUser } = ctx.manifest.balanceRule;
      const [row] = await rows(ctx.mysql, 'SELECT COUNT(*) AS n FROM users WHERE id BETWEEN ? AND ?', [firstUser, lastUser]);
      const gone = lastUser - firstUser + 1 - Number(row?.['n'] ?? 0);
      // The ids only when some are gone: the gaps between the seeded users still there.
      if (gone > 0) examples.unshift(...(await missingUsers(ctx, firstUser, lastUser)));
      missing += gone;
    }
    if (ctx.tables.has(TABLES.products) && ctx.manifest.products.length > 0) {
      const seeded = ctx.manifest.products.map((p) => p.id);
      const present = new Set((await rows(ctx.mysql, 'SELECT id FROM products WHERE id IN (?)', [seeded])).map((r) => String(r['id'])));
      const gone = seeded.filter((id) => !present.has(String(id)));
      examples.unshift(...gone.map((id) => `product ${id}: seeded, no longer exists`));
      missing += gone.length;
    }
    return verdict(dangling.length + missing, examples);
  },
};

async function missingUsers(ctx: AuditContext, firstUser: number, lastUser: number): Promise<string[]> {
  const gaps = await rows(ctx.mysql,
    `SELECT prev + 1 AS first, id - 1 AS last FROM (
       SELECT id, COALESCE(LAG(id) OVER (ORDER BY id), ?) AS prev FROM (SELECT id FROM users WHERE id BETWEEN ? AND ? UNION ALL SELECT ? + 1) s) g
     WHERE id - prev > 1 ORDER BY id LIMIT ${MAX_EXAMPLES}`, [firstUser - 1, firstUser, lastUser, lastUser]);
  return gaps.map((r) => (Number(r['first']) === Number(r['last']) ? `user ${r['first']}: seeded, no longer exists`
    : `users ${r['first']}..${r['last']}: seeded, no longer exist`));
}
