import { ORDER_AGGREGATE, ORDER_PAID_EVENT, TABLES } from '@perf-lab/contract';
import { eventsOnKafka, eventsTopic } from '../events-on-kafka.ts';
import { notApplicable, rows, verdict, type AuditContext, type Invariant } from '../invariant.ts';
import { sqlValue } from '../mapped-sql.ts';
import { dbText, linesText, payloadDifferences, type OrderFacts } from '../order-event-payload.ts';

/**
 * An event says what happened to its order: its payload (the JSON the order transaction wrote,
 * and each copy the relay published) names the order's id, user, amounts, coupon and lines as
 * the database keeps them. An event rewritten after the fact, built from a stale or another
 * request's object, or a relay that publishes something else passes every count and match by
 * id; a consumer downstream then credits the wrong user or amount. Copies on Kafka older than
 * the seed are an earlier seed's events with the same (restarted) ids, and are left out.
 */
export const orderEventsMatchOrders: Invariant = {
  name: 'order.events-match-orders',
  meaning: "each order event's payload, in the outbox and on Kafka, names its order's id, user, amounts, coupon and lines",
  system: 'order',
  async check(ctx) {
    if (![TABLES.outboxEvents, TABLES.orders, TABLES.orderItems].every((t) => ctx.tables.has(t))) return notApplicable('no outbox or order tables');
    // An event of no existing order is order.references-intact's to report.
    const events = await rows(ctx.mysql,
      `SELECT e.id, e.type, e.payload, e.sent_at IS NOT NULL AS sent, o.id AS orderId, o.user_id AS userId,
              o.total_amount AS totalAmount, o.discount_amount AS discountAmount, o.paid_amount AS paidAmount, o.coupon_id AS couponId
       FROM outbox_events e JOIN orders o ON o.id = CAST(e.aggregate_id AS UNSIGNED) AND CAST(o.id AS CHAR) = e.aggregate_id
       WHERE LOWER(e.aggregate_type) = ${sqlValue(ORDER_AGGREGATE)} ORDER BY e.id`);
    if (events.length === 0) return verdict(0, []);
    const lines = new Map<string, { productId: unknown; quantity: unknown; unitPrice: unknown }[]>();
    for (const l of await rows(ctx.mysql, 'SELECT order_id, product_id AS productId, quantity, unit_price AS unitPrice FROM order_items')) {
      const id = String(l['order_id']);
      const line = { productId: l['productId'], quantity: l['quantity'], unitPrice: l['unitPrice'] };
      const known = lines.get(id);
      if (known) known.push(line);
      else lines.set(id, [line]);
    }
    const facts = (r: Record<string, unknown>): OrderFacts => ({
      orderId: dbText(r['orderId']), userId: dbText(r['userId']), totalAmount: dbText(r['totalAmount']),
      discountAmount: dbText(r['discountAmount']), paidAmount: dbText(r['paidAmount']), couponId: dbText(r['couponId']),
      items: linesText(lines.get(String(r['orderId'])) ?? []),
    });
    const wrong: string[] = [];
    for (const e of events) {
      const found = e['type'] === ORDER_PAID_EVENT ? payloadDifferences(e['payload'], facts(e))
        : [`type ${e['type']}, but the reference server writes only ${ORDER_PAID_EVENT} events for an order`];
      if (found.length > 0) wrong.push(`event ${e['id']} of order ${e['orderId']}: ${found.join('; ')}`);
    }
    const sent = events.filter((e) => Number(e['sent']) === 1 && e['type'] === ORDER_PAID_EVENT);
    const copies = sent.length > 0 && ctx.schema.kafka ? await publishedDifferences(ctx, sent, facts) : { wrong: [], compared: 0 };
    wrong.push(...copies.wrong);
    return verdict(wrong.length, wrong, `${events.length} order event(s) and ${copies.compared} copy(ies) on Kafka since the seed compared with their orders`);
  },
};

/** Each copy on the topic produced since the seed must say what its order says, as the outbox row must. */
async function publishedDifferences(ctx: AuditContext, sent: readonly Record<string, unknown>[], facts: (r: Record<string, unknown>) => OrderFacts) {
  const onKafka = await eventsOnKafka(ctx, ctx.schema.kafka!);
  const since = Date.parse(ctx.manifest.seededAt);
  const topic = eventsTopic(ctx);
  const wrong: string[] = [];
  let compared = 0;
  for (const e of sent) {
    const recent = (onKafka.get(String(e['id'])) ?? []).filter((c) => !(c.timestamp < since));
    compared += recent.length;
    const differing = recent.map((c) => payloadDifferences(c.value, facts(e))).find((found) => found.length > 0);
    if (differing) wrong.push(`event ${e['id']} of order ${e['orderId']} on ${topic}: ${differing.join('; ')}`);
  }
  return { wrong, compared };
}
