/**
 * Kafka topics and the consumer group, each with the topic prefix both programs are given
 * (REF_KAFKA_TOPIC_PREFIX / PERF_LAB_KAFKA_TOPIC_PREFIX), so the audit measures the lag of the
 * topic the server consumes.
 */
export const COUPON_ISSUE_TOPIC = 'coupon-issue-requests';
/** The default of REF_OUTBOX_TOPIC: where the order outbox relay publishes. */
export const ORDER_EVENTS_TOPIC = 'order-events';
/** The group that consumes the coupon topic; the audit waits for its lag to reach zero. */
export const COUPON_CONSUMER_GROUP = 'ref-coupon-issuer';

/** Partitions of the coupon topic when nothing asks for more (N server instances ask for N). */
export const DEFAULT_COUPON_PARTITIONS = 3;

export function couponIssueTopic(topicPrefix: string): string {
  return `${topicPrefix}${COUPON_ISSUE_TOPIC}`;
}

export function orderEventsTopic(topicPrefix: string, topic: string = ORDER_EVENTS_TOPIC): string {
  return `${topicPrefix}${topic}`;
}
