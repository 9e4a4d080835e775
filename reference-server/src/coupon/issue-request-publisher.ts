import type { BatchedProducer } from '../plugins/kafka-batched-producer.ts';
import { GroupCommit } from '../group-commit.ts';
import { ISSUE_SLICE_SIZE } from './issue-consumer.ts';
import { encodeIssueRequests } from './issue-request-message.ts';
import type { IssueRequestMessage } from './issue-request-message.ts';

/** Requests per produce request, and so at most per message: the consumer's slice bound. */
const MAX_REQUESTS = ISSUE_SLICE_SIZE;

/**
 * Makes issue requests durable in Kafka: requests published at the same time go out together,
 * packed one message per partition (issue-request-message.ts), and each one's promise
 * settles when the broker acknowledged (acks=all, idempotent producer) the message carrying it.
 */
export class IssueRequestPublisher {
  readonly #batches: GroupCommit<IssueRequestMessage, void>;

  constructor(producer: BatchedProducer, topic: string, partitions: number) {
    this.#batches = new GroupCommit<IssueRequestMessage, void>(async (batch) => {
      await Promise.all(encodeIssueRequests(batch, partitions).map((m) => producer.send(topic, m)));
      return batch.map(() => undefined);
    }, MAX_REQUESTS);
  }

  publish(request: IssueRequestMessage): Promise<void> {
    return this.#batches.submit(request);
  }
}
