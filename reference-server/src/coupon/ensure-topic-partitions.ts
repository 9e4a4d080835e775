import type { Kafka } from 'kafkajs';

/**
 * Makes `topic` exist with at least `partitions` partitions: created with that many, or
 * increased (kafkajs createPartitions) when an earlier, smaller lab made it. A consumer group
 * spreads partitions, not messages, over its members, so N server instances need N
 * partitions or some consumers idle. Several instances start at once: when another one
 * raised the count first, the broker refuses ours, and the count read again decides.
 */
export async function ensureTopicPartitions(kafka: Kafka, topic: string, partitions: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const count = async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
    if (!(await admin.listTopics()).includes(topic)) {
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      } catch (err) {
        // Another instance created it first: its count is checked below like any existing topic's.
        if (!(await admin.listTopics()).includes(topic)) throw err;
      }
    }
    const have = await count();
    if (have >= partitions) return have;
    try {
      await admin.createPartitions({ topicPartitions: [{ topic, count: partitions }] });
    } catch (err) {
      if ((await count()) < partitions) throw err;
    }
    // Awaited here: the finally below must not disconnect while the request is in flight.
    return await count();
  } finally {
    await admin.disconnect();
  }
}
