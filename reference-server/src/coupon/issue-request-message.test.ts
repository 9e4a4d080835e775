import { describe, expect, it } from 'vitest';
import { decodeIssueRequests, encodeIssueRequests, issueRequestPartition } from './issue-request-message.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';

const req = (n: number, userId: number): IssueRequestMessage => ({
  requestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  couponId: 7,
  userId,
  requestedAt: '2026-01-01T00:00:00.000Z',
});
const decode = (value: unknown) => decodeIssueRequests(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('issue request messages', () => {
  it('packs a batch into one message per partition, each user on its partition, in order', () => {
    const batch = [req(1, 10), req(2, 11), req(3, 12), req(4, 13), req(5, 10)];
    const messages = encodeIssueRequests(batch, 3);
    expect(messages.map((m) => m.partition).sort()).toEqual([0, 1, 2]);
    const carried = messages.flatMap((m) => {
      const requests = decodeIssueRequests(Buffer.from(String(m.value)))!;
      for (const r of requests) expect(issueRequestPartition(r.userId, 3)).toBe(m.partition);
      return requests;
    });
    expect(carried).toHaveLength(batch.length);
    expect(new Set(carried.map((r) => r.requestId))).toEqual(new Set(batch.map((r) => r.requestId)));
    // User 10's two requests: same partition, same order as sent.
    expect(carried.filter((r) => r.userId === 10).map((r) => r.requestId)).toEqual([batch[0]!.requestId, batch[4]!.requestId]);
  });

  it('reads a format-1 message (one request, what earlier servers sent)', () => {
    expect(decode({ v: 1, ...req(9, 20) })).toEqual([req(9, 20)]);
  });

  it('refuses malformed messages whole: a bad request poisons its message, not a part of it', () => {
    expect(decode('not json')).toBeNull();
    expect(decode({ v: 3, requests: [req(1, 1)] })).toBeNull();
    expect(decode({ v: 2, requests: [] })).toBeNull();
    expect(decode({ v: 2, requests: [req(1, 1), { ...req(2, 2), userId: -1 }] })).toBeNull();
    expect(decode({ v: 2, requests: [{ ...req(1, 1), requestId: 'x' }] })).toBeNull();
    expect(decode({ v: 1, ...req(1, 1), couponId: 1.5 })).toBeNull();
    expect(decodeIssueRequests(null)).toBeNull();
  });
});
