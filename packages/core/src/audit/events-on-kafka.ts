import { orderEventsTopic } from '@perf-lab/contract';
import type { KafkaMap } from '../config/schema-map.ts';
import type { TopicCopy } from './audit-kafka.ts';
import { sharedRead, type AuditContext } from './invariant.ts';

/** The declared topic under the lab's topic prefix; the server's own setting where none is declared. */
export function eventsTopic(ctx: AuditContext): string {
  const declared = ctx.schema.kafka?.orderEvents;
  return declared ? orderEventsTopic(ctx.topicPrefix, declared) : ctx.settings.orderEventsTopic;
}

/**
 * The outbox's topic, read once per audit however many checks look at it: every copy of each
 * event by its id (where the schema's `kafka.eventId` says a message carries it).
 */
export function eventsOnKafka(ctx: AuditContext, kafka: KafkaMap): Promise<ReadonlyMap<string, readonly TopicCopy[]>> {
  const topic = eventsTopic(ctx);
  return sharedRead(ctx, `kafka:${topic}:${kafka.eventId}`, () => ctx.kafka.messagesById(topic, kafka.eventId, ctx.topicReadTimeoutMs));
}
