import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopicPartitions } from '../src/coupon/ensure-topic-partitions.ts';
import { createTestWorld, testKafka } from './helper.ts';
import type { TestWorld } from './helper.ts';

/** The coupon topic's partition count follows the number of server instances, up only. */
describe('ensureTopicPartitions', () => {
  const kafka = testKafka();
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  const partitionsOf = async (topic: string): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
    } finally {
      await admin.disconnect();
    }
  };

  it('creates the topic with N partitions, raises a smaller one, never lowers it', async () => {
    const topic = `${world.topicPrefix}coupon-issue-requests`;
    expect(await ensureTopicPartitions(kafka, topic, 2)).toBe(2);
    expect(await partitionsOf(topic)).toBe(2);
    expect(await ensureTopicPartitions(kafka, topic, 4)).toBe(4);
    expect(await partitionsOf(topic)).toBe(4);
    expect(await ensureTopicPartitions(kafka, topic, 3)).toBe(4);
    expect(await partitionsOf(topic)).toBe(4);
  }, 60_000);

  it('three instances raising it at once all succeed with the count asked', async () => {
    const topic = `${world.topicPrefix}coupon-issue-requests-race`;
    expect(await ensureTopicPartitions(kafka, topic, 1)).toBe(1);
    const counts = await Promise.all([6, 6, 6].map((n) => ensureTopicPartitions(kafka, topic, n)));
    expect(counts).toEqual([6, 6, 6]);
    expect(await partitionsOf(topic)).toBe(6);
  }, 60_000);
});
