import { createIssueConsumerStats } from './coupon/issue-consumer.ts';
import type { IssueConsumerStats } from './coupon/issue-consumer.ts';
import { createOutboxRelayStats } from './order/outbox-relay.ts';
import type { OutboxRelayStats } from './order/outbox-relay.ts';

/**
 * What the background workers did, kept on the root instance (`app.stats`) so /health can
 * report it and tests can poll it, without reaching into the encapsulated features.
 */
export interface ServerStats {
  readonly consumer: IssueConsumerStats;
  readonly outbox: OutboxRelayStats;
}

export function createServerStats(): ServerStats {
  return { consumer: createIssueConsumerStats(), outbox: createOutboxRelayStats() };
}
