import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { firstRunId } from '../run-start.ts';

/** The header the outbox relay stamps on every message: the outbox row's id. */
const EVENT_ID_HEADER = 'event-id';

/**
 * Published means published: every outbox event marked sent is on its Kafka topic. The relay
 * marks rows sent only after Kafka acknowledged them; a row marked sent that Kafka never got
 * (sent_at set outside the produce, acks=0, a topic recreated) is an event lost for good. The
 * topic is read from its start and matched by event id; extra copies are at-least-once and fine.
 */
export const orderEventsPublished: Invariant = {
  name: 'order.sent-events-on-kafka',
  meaning: 'every outbox event marked sent exists on its Kafka topic (matched by event id)',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has('outbox_events')) return notApplicable('no outbox_events table');
    const sent = await rows(ctx.mysql,
      'SELECT id, aggregate_type, aggregate_id, type FROM outbox_events WHERE sent_at IS NOT NULL AND id >= ? ORDER BY id',
      [firstRunId(ctx.runStart, 'outbox_events')]);
    if (sent.length === 0) return verdict(0, []);
    const topic = ctx.settings.orderEventsTopic;
    const onKafka = await ctx.kafka.headerValues(topic, EVENT_ID_HEADER, ctx.topicReadTimeoutMs);
    const missing = sent.filter((r) => !onKafka.has(String(r['id'])));
    return verdict(missing.length,
      missing.map((r) => `event ${r['id']} (${r['type']} of ${r['aggregate_type']} ${r['aggregate_id']}): marked sent, not on ${topic}`),
      `${sent.length} sent event(s) matched against ${onKafka.size} on ${topic}`);
  },
};
