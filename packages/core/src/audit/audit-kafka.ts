import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { valueAt } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { delay } from '../lab/managed-process.ts';
import { bounded } from './bounded.ts';

type Admin = ReturnType<Kafka['admin']>;

/**
 * The audit's Kafka: an admin client for lag and offsets, and a one-off reader of a topic.
 * Every call is bounded and an unreachable or silent broker is named with its address, as
 * MySQL and Redis are — never a client library's stack trace.
 */
export class AuditKafka {
  readonly address: string;
  readonly #kafka: Kafka;
  readonly #admin: Admin;
  readonly #boundMs: number;

  private constructor(config: PerfLabConfig, boundMs: number) {
    this.address = config.kafka.brokers.join(',');
    this.#boundMs = boundMs;
    this.#kafka = new Kafka({
      clientId: 'perf-lab-audit', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING,
      connectionTimeout: Math.min(boundMs, 3000), requestTimeout: boundMs,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    });
    this.#admin = this.#kafka.admin();
  }

  static async open(config: PerfLabConfig, boundMs: number): Promise<AuditKafka> {
    const kafka = new AuditKafka(config, boundMs);
    await kafka.#bounded('connecting', () => kafka.#admin.connect());
    return kafka;
  }

  /**
   * Bounded, and retried within the bound while Kafka says the error is passing (a group
   * coordinator still loading after a broker start answers NOT_COORDINATOR for a while).
   */
  #bounded<T>(what: string, work: () => Promise<T>, ms = this.#boundMs): Promise<T> {
    const deadline = Date.now() + ms;
    return bounded('kafka', this.address, ms, what, async () => {
      for (;;) {
        try {
          return await work();
        } catch (err) {
          // Only the broker's own "try again" answers: a refused connection should fail fast.
          const passing = (err as Error).name === 'KafkaJSProtocolError' && (err as { retriable?: boolean }).retriable === true;
          if (!passing || Date.now() + 250 >= deadline) throw err;
          await delay(250);
        }
      }
    });
  }

  async close(): Promise<void> {
    await Promise.race([this.#admin.disconnect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  async hasTopic(topic: string): Promise<boolean> {
    return (await this.#bounded('listing topics', () => this.#admin.listTopics())).includes(topic);
  }

  /** Messages of the topic a consumer group has not committed yet. */
  async consumerLag(groupId: string, topic: string): Promise<number> {
    if (!(await this.hasTopic(topic))) return 0;
    const [ends, committed] = await Promise.all([
      this.#bounded(`offsets of ${topic}`, () => this.#admin.fetchTopicOffsets(topic)),
      this.#bounded(`offsets of group ${groupId}`, () => this.#admin.fetchOffsets({ groupId, topics: [topic] })),
    ]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce((lag, p) => {
      const at = done.get(p.partition) ?? -1;
      // No commit yet: everything from the log start is still to be consumed.
      return lag + Math.max(0, Number(p.high) - (at < 0 ? Number(p.low) : at));
    }, 0);
  }

  /**
   * Every message of the topic by its event id (`header:<name>`, or `value:<dotted.path>` of a
   * JSON value), each copy with its value text and timestamp, reading from the start to the end
   * offsets seen when the read began (a one-off group, deleted afterwards). Bounded as a whole.
   */
  async messagesById(topic: string, field: string, timeoutMs: number): Promise<Map<string, TopicCopy[]>> {
    const pick = messageField(field);
    const copies = new Map<string, TopicCopy[]>();
    if (!(await this.hasTopic(topic))) return copies;
    const ends = await this.#bounded(`offsets of ${topic}`, () => this.#admin.fetchTopicOffsets(topic));
    const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    if (remaining.size === 0) return copies;
    const groupId = `perf-lab-audit-${randomUUID()}`;
    const consumer = this.#kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 1 } });
    try {
      await this.#bounded(`reading ${topic}`, async () => {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages) {
                const id = pick(m);
                if (id === undefined) continue;
                const copy = { value: m.value?.toString() ?? null, timestamp: Number(m.timestamp) };
                const known = copies.get(id);
                if (known) known.push(copy);
                else copies.set(id, [copy]);
              }
              const end = remaining.get(batch.partition);
              if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
              if (remaining.size === 0) resolve();
            },
          }).catch(reject);
        });
      }, timeoutMs);
    } finally {
      await Promise.race([consumer.disconnect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      void this.#admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return copies;
  }
}

/** One message carrying an event: its value as text, and when it was produced (ms since the epoch). */
export interface TopicCopy {
  readonly value: string | null;
  readonly timestamp: number;
}

type Message = { readonly headers?: Readonly<Record<string, unknown>>; readonly value: Buffer | null };

/** How to read a message's event id: from a header, or a dotted path into its JSON value. */
export function messageField(field: string): (m: Message) => string | undefined {
  const [where, name = ''] = [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1)];
  if (where === 'header') {
    return (m) => {
      const value = m.headers?.[name];
      return value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString() : String(value);
    };
  }
  return (m) => {
    try {
      const value = valueAt(JSON.parse(m.value?.toString() ?? 'null'), name);
      return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    } catch {
      return undefined;
    }
  };
}
