import type { Message, Producer } from 'kafkajs';
import { GroupCommit } from '../group-commit.ts';
import { groupBy } from '../group-by.ts';
import { withTimeout } from '../with-timeout.ts';

interface Outgoing {
  readonly topic: string;
  readonly message: Message;
}

/** Messages per produce request: far above any real burst. What they carry is bounded by their
 * senders (a coupon batch: at most ISSUE_SLICE_SIZE requests, ~65 KB), far under the broker's
 * 1 MiB per partition. */
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
    return this.producer.sendBatch({
      acks: -1,
      topicMessages: [...groupBy(batch, (o) => o.topic)].map(([topic, list]) => ({ topic, messages: list.map((o) => o.message) })),
    });
  }
}
