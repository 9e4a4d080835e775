import type { Message, Producer } from 'kafkajs';
import { withTimeout } from '../with-timeout.ts';

interface Pending {
  readonly topic: string;
  readonly message: Message;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Bounds one produce request; far above any real burst, well under the broker's 1 MiB default. */
const MAX_BATCH = 2000;

/**
 * Group commit for an idempotent producer. The idempotent producer keeps one request in
 * flight (ordering of sequence numbers), so awaiting `send` per HTTP request would serialise
 * every request behind one broker round trip. Instead, while a batch is in flight the next
 * messages queue, and go out together as soon as it is acknowledged: no added latency when
 * idle, and under load each acks=all round trip carries everything that arrived meanwhile.
 * A message's promise settles only when the broker acknowledged (or refused) its batch.
 */
export class BatchedProducer {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(
    readonly producer: Producer,
    private readonly timeoutMs: number,
  ) {}

  send(topic: string, message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ topic, message, resolve, reject });
      if (this.#flushing) return;
      this.#flushing = true;
      // Not synchronously: the requests whose Redis replies arrived in this I/O callback call
      // send one after another; started at once, the first would go alone and the rest wait a
      // whole acks=all round trip behind it. setImmediate runs once this poll phase is done,
      // so they all share the first produce request — no timer, no added wait when idle.
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        try {
          // A send that outlives the deadline may still land later: callers answer "outcome unknown".
          await withTimeout(this.#sendBatch(batch), this.timeoutMs, `kafka did not acknowledge within ${this.timeoutMs} ms`);
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err as Error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #sendBatch(batch: readonly Pending[]): Promise<unknown> {
    const byTopic = new Map<string, Message[]>();
    for (const p of batch) {
      const list = byTopic.get(p.topic) ?? [];
      list.push(p.message);
      byTopic.set(p.topic, list);
    }
    return this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
