import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchedProducer } from '../src/plugins/kafka-batched-producer.ts';
import { testKafka, uniqueSuffix } from './helper.ts';

const topic = `ref-test-batched-${uniqueSuffix()}`;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  const kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect();
});

/** The real producer, counting the produce requests it is asked for. */
function countingProducer(): { producer: Producer; batches: number[] } {
  const batches: number[] = [];
  const counted = Object.create(producer) as Producer;
  counted.sendBatch = (batch) => {
    batches.push(batch.topicMessages?.reduce((n, t) => n + t.messages.length, 0) ?? 0);
    return producer.sendBatch(batch);
  };
  return { producer: counted, batches };
}

async function offsetsSum(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

describe('BatchedProducer', () => {
  it('sends in one produce request what was sent in one tick, and every message lands', async () => {
    const { producer: counted, batches } = countingProducer();
    const batched = new BatchedProducer(counted, 10_000);
    const before = await offsetsSum();
    await Promise.all(Array.from({ length: 50 }, (_, i) => batched.send(topic, { key: String(i), value: `m${i}` })));
    // The first send does not go alone: the produce starts once the tick is done.
    expect(batches).toEqual([50]);
    expect((await offsetsSum()) - before).toBe(50);
  });

  it('queues what arrives while a batch is in flight and sends it as the next batch', async () => {
    const { producer: counted, batches } = countingProducer();
    const batched = new BatchedProducer(counted, 10_000);
    const first = Array.from({ length: 5 }, (_, i) => batched.send(topic, { key: String(i), value: `a${i}` }));
    // After the first produce request left, before its acknowledgement.
    await new Promise((r) => setImmediate(r));
    const second = Array.from({ length: 7 }, (_, i) => batched.send(topic, { key: String(i), value: `b${i}` }));
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([5, 7]);
  });
});
