import { Kafka, logLevel } from 'kafkajs';
import type mysql from 'mysql2/promise';

export interface Relay {
  stop(): Promise<void>;
}

/**
 * The foreign service's outbox relay: unpublished `event_outbox` rows go to its topic, the row's
 * id inside the JSON value (`meta.eventId`) rather than a header, and are marked published only
 * after Kafka acknowledged them.
 */
export async function startOutboxRelay(pool: mysql.Pool, brokers: readonly string[], topic: string): Promise<Relay> {
  const kafka = new Kafka({ clientId: 'foreign-relay', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  let running = true;
  const loop = (async () => {
    while (running) {
      const [pending] = await pool.query<mysql.RowDataPacket[]>(
        'SELECT event_id, aggregate_ref, event_name, body FROM event_outbox WHERE published_at IS NULL ORDER BY event_id LIMIT 200');
      if (pending.length > 0) {
        await producer.send({ topic, acks: -1, messages: pending.map((r) => ({
          key: String(r['aggregate_ref']),
          value: JSON.stringify({ meta: { eventId: String(r['event_id']), name: r['event_name'] }, body: r['body'] }),
        })) });
        await pool.query('UPDATE event_outbox SET published_at = NOW(3) WHERE event_id IN (?)', [pending.map((r) => r['event_id'])]);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      await producer.disconnect();
    },
  };
}
