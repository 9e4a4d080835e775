import type { Message } from 'kafkajs';
import { groupBy } from '../group-by.ts';

/**
 * What the API hands to the consumer. `requestId` travels into `user_coupons.request_id` and
 * `coupon_issue_rejections`, which is how a redelivery is told apart from a second request.
 */
export interface IssueRequestMessage {
  readonly requestId: string;
  readonly couponId: number;
  readonly userId: number;
  readonly requestedAt: string;
}

/**
 * Different users spread over all partitions, so the consumer group works them in parallel;
 * one user's requests share a partition while the servers agree on the count (each reads it at
 * start, and the lab starts every instance with the same). Nothing depends on their order: a
 * user has at most one pending reservation per coupon, and the consumer applies a request id once.
 */
export function issueRequestPartition(userId: number, partitions: number): number {
  return userId % partitions;
}

/**
 * The requests of one produce batch, one Kafka message per partition (format 2: `{v: 2,
 * requests: […]}`). Per message, the Kafka client's encoding, the broker's record checks and
 * the consumer's decoding cost more than the few dozen bytes a request takes, so packing a
 * batch's requests into one message per partition cut that work per request by the batch size.
 * Durability is unchanged: a request is acknowledged when the message carrying it is (acks=all).
 */
export function encodeIssueRequests(requests: readonly IssueRequestMessage[], partitions: number): Message[] {
  return [...groupBy(requests, (r) => issueRequestPartition(r.userId, partitions))].map(([partition, list]) => ({
    partition,
    value: JSON.stringify({ v: 2, requests: list.map(({ requestId, couponId, userId, requestedAt }) => ({ requestId, couponId, userId, requestedAt })) }),
  }));
}

/**
 * The requests a message carries: format 2, or format 1 (one request per message, `{v: 1, …}`,
 * what servers before packing sent — so a topic that still holds some drains during an
 * upgrade). null for anything malformed: a poison message is skipped, not retried.
 */
export function decodeIssueRequests(value: Buffer | null): IssueRequestMessage[] | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
  const m = parsed as { v?: unknown; requests?: unknown } | null;
  if (m?.v === 1) {
    const one = toRequest(m);
    return one ? [one] : null;
  }
  if (m?.v !== 2 || !Array.isArray(m.requests) || m.requests.length === 0) return null;
  const requests: IssueRequestMessage[] = [];
  for (const r of m.requests as unknown[]) {
    const one = toRequest(r);
    if (!one) return null;
    requests.push(one);
  }
  return requests;
}

function toRequest(value: unknown): IssueRequestMessage | null {
  const m = value as Partial<IssueRequestMessage> | null;
  const isId = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (typeof m?.requestId !== 'string' || !/^[0-9a-f-]{36}$/.test(m.requestId)) return null;
  if (!isId(m.couponId) || !isId(m.userId) || typeof m.requestedAt !== 'string') return null;
  return { requestId: m.requestId, couponId: m.couponId, userId: m.userId, requestedAt: m.requestedAt };
}
