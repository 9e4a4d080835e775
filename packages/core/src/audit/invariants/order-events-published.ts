import { sqlId } from '../check-declarations.ts';
import { eventsOnKafka, eventsTopic } from '../events-on-kafka.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { addedByRun } from '../mapped-sql.ts';

/**
 * Published means published: every outbox event marked sent is on its Kafka topic. The relay
 * marks rows sent only after Kafka acknowledged them; a row marked sent that Kafka never got
 * (sent_at set outside the produce, acks=0, a topic recreated) is an event lost for good. The
 * topic is read from its start and matched by event id (a header or a field of the message,
 * as the schema's `kafka.eventId` says); extra copies are at-least-once and fine.
 */
export const orderEventsPublished: Invariant = {
  name: 'order.sent-events-on-kafka',
  meaning: 'every outbox event marked sent exists on its Kafka topic (matched by event id)',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { outbox: e, kafka } = ctx.schema;
    if (!e || !ctx.tables.has(e.table)) return notApplicable('no outbox table declared or present');
    if (!kafka) return notApplicable('the schema declares no Kafka topic for the outbox');
    const col = (c: string | null, as: string) => `${c === null ? 'NULL' : sqlId(c)} AS ${as}`;
    const id = sqlId(e.id);
    const sent = await rows(ctx.mysql,
      `SELECT ${id} AS id, ${col(e.aggregateType, 'aggregate_type')}, ${col(e.aggregateId, 'aggregate_id')}, ${col(e.type, 'type')}
       FROM ${sqlId(e.table)} WHERE ${sqlId(e.sentAt)} IS NOT NULL${addedByRun(ctx.runStart, e.table, id)} ORDER BY ${id}`);
    if (sent.length === 0) return verdict(0, []);
    const topic = eventsTopic(ctx);
    const onKafka = await eventsOnKafka(ctx, kafka);
    const missing = sent.filter((r) => !onKafka.has(String(r['id'])));
    const what = (r: Record<string, unknown>) => {
      const of = [r['aggregate_type'], r['aggregate_id']].filter((v) => v !== null).join(' ');
      return r['type'] === null && of === '' ? '' : ` (${r['type'] ?? 'event'}${of === '' ? '' : ` of ${of}`})`;
    };
    return verdict(missing.length,
      missing.map((r) => `event ${r['id']}${what(r)}: marked sent, not on ${topic}`),
      `${sent.length} sent event(s) matched against ${onKafka.size} on ${topic}`);
  },
};
