import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/**
 * How many messages on `topic` carry each value of `header`, read from the start to the end
 * the topic had when called: the audit only asks whether an event is there, a test of
 * "published once" needs the count.
 */
export async function topicHeaderCounts(brokers: readonly string[], topic: string, header: string, timeoutMs = 30_000): Promise<Map<string, number>> {
  const kafka = new Kafka({ clientId: 'perf-lab-test-reader', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const counts = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `perf-lab-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    if (remaining.size === 0) return counts;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took over ${timeoutMs} ms`)), timeoutMs);
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const end = remaining.get(batch.partition);
          for (const m of batch.messages) {
            if (end !== undefined && Number(m.offset) >= end) continue;
            const value = m.headers?.[header];
            if (value !== undefined) {
              const key = Buffer.isBuffer(value) ? value.toString() : String(value);
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
          }
          if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
    return counts;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect();
  }
}
