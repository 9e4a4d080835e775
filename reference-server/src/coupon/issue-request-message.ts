import type { Message } from 'kafkajs';

/**
 * What the API hands to the consumer. `requestId` travels into `user_coupons.request_id` and
 * `coupon_issue_rejections`, which is how a redelivery is told apart from a second request.
 */
export interface IssueRequestMessage {
  readonly v: 1;
  readonly requestId: string;
  readonly couponId: number;
  readonly userId: number;
  readonly requestedAt: string;
}

/**
 * Keyed by user: one user's requests stay ordered on one partition, while different users
 * spread over all partitions so the consumer group works them in parallel.
 */
export function encodeIssueRequest(msg: IssueRequestMessage): Message {
  return { key: String(msg.userId), value: JSON.stringify(msg) };
}

/** null for anything that is not a well-formed v1 message (a poison message is skipped, not retried). */
export function decodeIssueRequest(value: Buffer | null): IssueRequestMessage | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
  const m = parsed as Partial<IssueRequestMessage>;
  const isId = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (m?.v !== 1 || typeof m.requestId !== 'string' || !/^[0-9a-f-]{36}$/.test(m.requestId)) return null;
  if (!isId(m.couponId) || !isId(m.userId) || typeof m.requestedAt !== 'string') return null;
  return { v: 1, requestId: m.requestId, couponId: m.couponId, userId: m.userId, requestedAt: m.requestedAt };
}
