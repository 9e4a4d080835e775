import { EVENT_ID_HEADER } from '@perf-lab/contract';
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'mysql2/promise';
import { claimPendingEvents, markEventsSent } from './repositories/outbox-repository.ts';
import { withTransaction } from '../db/transaction.ts';

/**
 * Between polls that found nothing, in intervals: an idle relay polls every 2 s rather than
 * 5 times a second (a poll is a MySQL round trip on both sides, the idle server's largest
 * cost), and `nudge` — an order of this process committed — brings the next poll back to one
 * interval after the last. Events another process wrote are its own relay's, which that process
 * nudged; if it died, the other relays find them within this long.
 */
const IDLE_POLL_INTERVALS = 10;

/**
 * How long a claim keeps other relays off a batch: well past a produce's worst case (5
 * retries, at most 2 s apart), so a live relay is never overtaken; a relay that died leaves
 * its batch to the others after this long (sent again: consumers de-duplicate by event-id).
 */
const CLAIM_LEASE_MS = 30_000;

export interface OutboxRelayOptions {
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly topic: string;
  readonly intervalMs: number;
  readonly batchSize: number;
  /** Updated as it works; the app passes its own (app.stats.outbox) so tests can watch it. */
  readonly stats?: OutboxRelayStats;
  /** Library code does not log: the plugin passes the app's logger here. */
  readonly onError?: (err: unknown) => void;
}

export interface OutboxRelayStats {
  /** Claim attempts made by the loop, successful or not: what stops growing once it stopped. */
  polls: number;
  published: number;
  running: boolean;
}

export function createOutboxRelayStats(): OutboxRelayStats {
  return { polls: 0, published: 0, running: false };
}

/**
 * Publishes outbox_events to Kafka, at least once: claim a batch for a lease (one short
 * statement) → produce with acks=all, holding no database lock → mark the batch sent. A
 * stalled broker therefore never blocks order placement. A crash after the produce and before
 * the mark sends the batch again once the claim expires, so consumers de-duplicate by the
 * `event-id` header; nothing is ever marked sent that Kafka did not acknowledge. Several
 * server processes can run a relay each: claims hand each one different rows.
 */
export class OutboxRelay {
  #producer: Producer | null = null;
  #loop: Promise<void> | null = null;
  #running = false;
  #wakeSleep: (() => void) | null = null;
  /** Set while the loop sleeps after an empty poll: moves its wake-up earlier. */
  #shortenIdle: ((at: number) => void) | null = null;
  #lastPollAt = 0;
  readonly stats: OutboxRelayStats;

  constructor(private readonly options: OutboxRelayOptions) {
    this.stats = options.stats ?? createOutboxRelayStats();
  }

  async start(): Promise<void> {
    if (this.#running) return;
    const producer = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, unlike kafkajs's idempotent default (retry forever): a dead broker then fails
      // the batch, which rolls back and is tried again on the next tick, and stop() can finish.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    await producer.connect();
    this.#producer = producer;
    this.#running = true;
    this.stats.running = true;
    this.#loop = this.#run();
  }

  /** Lets the batch in flight finish (so it is committed, not sent twice), then disconnects. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wakeSleep?.();
    await this.#loop;
    this.#loop = null;
    await this.#producer?.disconnect();
    this.#producer = null;
    this.stats.running = false;
  }

  /** An event was just committed in this process: an idle relay polls one interval after its last poll. */
  nudge(): void {
    this.#shortenIdle?.(this.#lastPollAt + this.options.intervalMs);
  }

  /** One claim → produce → mark cycle, no transaction open across the produce. Returns how many it published. */
  async publishBatch(): Promise<number> {
    const producer = this.#producer;
    if (!producer) throw new Error('the outbox relay is not started');
    const { pool, topic, batchSize } = this.options;
    const token = randomUUID();
    const events = await claimPendingEvents(pool, token, batchSize, CLAIM_LEASE_MS);
    if (events.length === 0) return 0;
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((e) => ({
        // Keyed by aggregate, so one order's events stay in order on one partition.
        key: e.aggregateId,
        value: e.payload,
        headers: { [EVENT_ID_HEADER]: String(e.id), 'event-type': e.type, 'aggregate-type': e.aggregateType },
      })),
    });
    // Retried on a deadlock or lock wait: with several relays, one's mark can collide with
    // another's claim scanning the same rows, and a mark given up leaves the batch to be
    // published a second time once its claim expires.
    await withTransaction(pool, (tx) => markEventsSent(tx, token, events.map((e) => e.id)), { retries: 3 });
    return events.length;
  }

  async #run(): Promise<void> {
    const { intervalMs, batchSize } = this.options;
    while (this.#running) {
      let published = 0;
      let failed = false;
      this.stats.polls += 1;
      this.#lastPollAt = Date.now();
      try {
        published = await this.publishBatch();
        this.stats.published += published;
      } catch (err) {
        failed = true;
        this.options.onError?.(err);
      }
      // A full batch means more may be waiting: go again at once. Some: a tick. None: idle.
      if (published === batchSize) continue;
      if (published > 0 || failed) await this.#sleep(intervalMs, false);
      else await this.#sleep(intervalMs * IDLE_POLL_INTERVALS, true);
    }
  }

  #sleep(ms: number, idle: boolean): Promise<void> {
    return new Promise((resolve) => {
      let wakeAt = Date.now() + ms;
      const done = (): void => {
        clearTimeout(timer);
        this.#wakeSleep = null;
        this.#shortenIdle = null;
        resolve();
      };
      let timer = setTimeout(done, ms);
      this.#wakeSleep = done;
      if (idle) {
        this.#shortenIdle = (at) => {
          if (at >= wakeAt) return;
          wakeAt = at;
          clearTimeout(timer);
          timer = setTimeout(done, Math.max(0, at - Date.now()));
        };
      }
    });
  }
}
