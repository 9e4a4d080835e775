import type { Message, Producer } from 'kafkajs';
import { GroupCommit } from '../group-commit.ts';
import { withTimeout } from '../with-timeout.ts';

interface Outgoing {
  readonly topic: string;
  readonly message: Message;
}

/** Bounds one produce request; far above any real burst, well under the broker's 1 MiB default. */
const MAX_BATCH = 2000;

/**
 * Group commit (group-commit.ts) for an idempotent producer. The idempotent producer keeps one
 * request in flight (ordering of sequence numbers), so awaiting `send` per HTTP request would
 * serialise every request behind one broker round trip; batched, each acks=all round trip
 * carries everything that arrived meanwhile. A message's promise settles only when the broker
 * acknowledged (or refused) its batch.
 */
export class BatchedProducer {
  readonly #batches: GroupCommit<Outgoing, void>;

  constructor(
    readonly producer: Producer,
    private readonly timeoutMs: number,
  ) {
    this.#batches = new GroupCommit<Outgoing, void>(async (batch) => {
      // A send that outlives the deadline may still land later: callers answer "outcome unknown".
      await withTimeout(this.#sendBatch(batch), this.timeoutMs, `kafka did not acknowledge within ${this.timeoutMs} ms`);
      return batch.map(() => undefined);
    }, MAX_BATCH);
  }

  send(topic: string, message: Message): Promise<void> {
    return this.#batches.submit({ topic, message });
  }

  #sendBatch(batch: readonly Outgoing[]): Promise<unknown> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    }
    return this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
