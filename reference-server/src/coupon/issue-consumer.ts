import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'mysql2/promise';
import { applyIssueBatch } from './apply-issue-batch.ts';
import { groupBy } from '../group-by.ts';
import type { ApplyOutcome } from './apply-issue-batch.ts';
import type { CouponRedis, SettleOp, SettleStep } from './coupon-redis.ts';
import { decodeIssueRequests } from './issue-request-message.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';

/** What the consumer did, message by message; served on /health and polled by tests. */
export interface IssueConsumerStats {
  issued: number;
  alreadyApplied: number;
  rejectedSoldOut: number;
  rejectedDuplicate: number;
  /** Rejections seen again on redelivery (already recorded). */
  redeliveredRejections: number;
  /** Issued rows whose Redis reservation had been lost (Redis data loss); re-taken. */
  repaired: number;
  poison: number;
}

export function createIssueConsumerStats(): IssueConsumerStats {
  return { issued: 0, alreadyApplied: 0, rejectedSoldOut: 0, rejectedDuplicate: 0, redeliveredRejections: 0, repaired: 0, poison: 0 };
}

export interface IssueConsumerDeps {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly couponRedis: CouponRedis;
  readonly topic: string;
  readonly groupId: string;
  /** How long Kafka waits for a silent member (a killed process) before rebalancing without it. */
  readonly sessionTimeoutMs: number;
  readonly stats: IssueConsumerStats;
  readonly log: FastifyBaseLogger;
}

/**
 * Requests per MySQL transaction, roughly: a slice ends with the message that brings it to this
 * many, and a message carries at most this many (IssueRequestPublisher), so a slice holds fewer
 * than twice as many. A fetch brings up to 1 MiB per partition (thousands of requests); slices
 * bound how long the coupon rows stay locked and how much a crash redelivers, while one commit
 * per slice still amortises the fsync and the round trips. On the lab (2 CPUs, shared) a
 * 50,000-request backlog drained at ~14,000/s with 500 per transaction, against ~830/s with one
 * transaction per request (bench/coupon-issue.ts).
 */
export const ISSUE_SLICE_SIZE = 500;

/**
 * The consumer group that applies accepted requests, a slice of a partition's batch at a
 * time. At-least-once: a slice's offsets are resolved (and committed) only after its DB
 * commit and its Redis compensation; a crash before that redelivers the slice, and
 * applyIssueBatch makes the redelivery harmless. A DB/Redis error throws, so kafkajs commits
 * what was resolved and retries from the first unresolved offset.
 */
export interface RunningConsumer {
  readonly consumer: Consumer;
  /** Settles once the member has joined the group and runs (rejects if it never could). */
  readonly joined: Promise<void>;
}

/**
 * Creates the member and starts joining in the background: the HTTP API does not wait for
 * the group join, which after an unclean exit waits for the dead member's session to expire.
 */
export function startIssueConsumer(deps: IssueConsumerDeps): RunningConsumer {
  const { kafka, topic, groupId, log, sessionTimeoutMs } = deps;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: sessionTimeoutMs,
    // A third of the session, Kafka's own advice; a rebalance waits for members at most twice
    // the session instead of kafkajs's 60 s.
    heartbeatInterval: Math.floor(sessionTimeoutMs / 3),
    rebalanceTimeout: sessionTimeoutMs * 2,
    // Under load the broker holds a fetch until ~400 requests (64 KiB) are there or 500 ms
    // passed, so a transaction carries hundreds of rows instead of whatever trickled in since
    // the last fetch: far less CPU per request in this process (which also serves the API)
    // and in MySQL. 500 ms is Kafka's own fetch.max.wait.ms: at 100 ms the idle consumer's
    // fetches cost this process 10 and the broker 7 CPU-ms per second; at a trickle of
    // requests a request shows ISSUED up to half a second later.
    minBytes: 64 * 1024,
    maxWaitTimeInMs: 500,
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'coupon issue consumer crashed');
  });
  return { consumer, joined: join(deps, consumer) };
}

async function join(deps: IssueConsumerDeps, consumer: Consumer): Promise<void> {
  const { topic, groupId, log } = deps;
  await consumer.connect();
  // fromBeginning: a brand-new group must not skip requests accepted before it first joined.
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    // One per partition: keys are user ids, so one user's messages stay in order.
    partitionsConsumedConcurrently: 3,
    // We resolve offsets ourselves, slice by slice, after each slice's DB commit.
    eachBatchAutoResolve: false,
    // commitOffsetsIfNecessary() then commits after every slice (a slice is one message or
    // more), so a crash mid-batch redelivers at most one slice per partition, not the whole fetch.
    autoCommitThreshold: 1,
    eachBatch: (payload) => handleBatch(deps, payload),
  });
  log.debug({ topic, groupId }, 'coupon issue consumer running');
}

async function handleBatch(deps: IssueConsumerDeps, payload: EachBatchPayload): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
  let slice: KafkaMessage[] = [];
  let requests: IssueRequestMessage[] = [];
  for (const [i, message] of batch.messages.entries()) {
    const carried = decodeIssueRequests(message.value);
    if (carried) requests.push(...carried);
    else {
      // Retrying cannot fix a malformed message, and blocking the partition would stall everyone.
      deps.stats.poison += 1;
      deps.log.error({ offset: message.offset }, 'skipping malformed coupon issue message');
    }
    slice.push(message);
    if (requests.length < ISSUE_SLICE_SIZE && i < batch.messages.length - 1) continue;
    // Shutting down, rebalancing or seeking: stop between slices; the rest is redelivered.
    if (!isRunning() || isStale()) return;
    await applySlice(deps, requests);
    resolveOffset(slice[slice.length - 1]!.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
    slice = [];
    requests = [];
  }
}

async function applySlice(deps: IssueConsumerDeps, requests: readonly IssueRequestMessage[]): Promise<void> {
  const { pool, couponRedis, stats, log } = deps;
  const outcomes = await applyIssueBatch(pool, requests);
  const changed = await settleInRedis(couponRedis, requests, outcomes);
  requests.forEach((msg, i) => {
    const outcome = outcomes[i]!;
    if (outcome.kind === 'issued') {
      stats.issued += 1;
      if (changed[i]) {
        stats.repaired += 1;
        log.warn({ ...msg }, 'issued a request whose reservation had been undone; Redis re-reserved');
      }
    } else if (outcome.kind === 'already-applied') stats.alreadyApplied += 1;
    else if (!outcome.firstTime) stats.redeliveredRejections += 1;
    else if (outcome.reason === 'SOLD_OUT') stats.rejectedSoldOut += 1;
    else stats.rejectedDuplicate += 1;
  });
}

/**
 * The seed's compensation table after the DB commit, made safe against retries and
 * redeliveries (coupon-settle.lua): a step acts only on the reservation its own request made,
 * so a re-sent or redelivered message can never undo a reservation another answer stands on.
 * DB sold out → SREM + INCR + flag; DB duplicate → INCR (the member stays: the user holds
 * the coupon); issued → confirm (re-takes a reservation Redis had lost). One script call per
 * coupon, steps in message order. Returns, per request, whether the stock changed.
 */
async function settleInRedis(
  couponRedis: CouponRedis,
  requests: readonly IssueRequestMessage[],
  outcomes: readonly ApplyOutcome[],
): Promise<boolean[]> {
  const steps = requests.map((msg, index) => ({ index, couponId: msg.couponId, step: { op: settleOp(outcomes[index]!), userId: msg.userId, requestId: msg.requestId } satisfies SettleStep }));
  const changed = requests.map(() => false);
  await Promise.all(
    [...groupBy(steps, (s) => s.couponId)].map(async ([couponId, mine]) => {
      const result = await couponRedis.settle(couponId, mine.map((s) => s.step));
      mine.forEach((s, i) => (changed[s.index] = result[i] ?? false));
    }),
  );
  return changed;
}

function settleOp(outcome: ApplyOutcome): SettleOp {
  if (outcome.kind === 'issued') return 'issued';
  if (outcome.kind === 'already-applied') return 'already-held';
  return outcome.reason === 'SOLD_OUT' ? 'sold-out' : 'duplicate';
}
