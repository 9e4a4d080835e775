import { Kafka, Partitioners, logLevel as KafkaLogLevel } from 'kafkajs';
import type { logCreator } from 'kafkajs';
import type { FastifyBaseLogger } from 'fastify';
import { withTimeout } from '../with-timeout.ts';
import { BatchedProducer } from './kafka-batched-producer.ts';
import { sharedPlugin, unreachable } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    kafka: Kafka;
    kafkaProducer: BatchedProducer;
    /** Resolves when a broker answered a metadata request within `timeoutMs` (for /health). */
    kafkaPing(timeoutMs: number): Promise<void>;
  }
}

/**
 * The Kafka client (features create their own consumers and admin from it) and one shared
 * idempotent producer: acks=all, retries bounded so that a dead broker turns into a 503
 * within seconds instead of a request that hangs forever.
 */
export const kafkaPlugin = sharedPlugin('kafka', async (app) => {
  const { brokers, sendTimeoutMs } = app.config.kafka;
  const kafka = new Kafka({
    clientId: 'perf-lab-reference-server',
    brokers: [...brokers],
    connectionTimeout: 3000,
    logLevel: KafkaLogLevel.INFO,
    logCreator: pinoLogCreator(app.log.child({ component: 'kafkajs' })),
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
  });
  // Its own connection, so a health check never queues behind the producer's batches.
  const admin = kafka.admin();
  try {
    await producer.connect();
    await admin.connect();
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    throw unreachable('Kafka', brokers.join(','), err);
  }
  app.decorate('kafka', kafka);
  app.decorate('kafkaProducer', new BatchedProducer(producer, sendTimeoutMs));
  app.decorate('kafkaPing', async (timeoutMs: number) => {
    await withTimeout(admin.describeCluster(), timeoutMs, `no Kafka broker answered within ${timeoutMs} ms`);
  });
  app.addHook('onClose', async () => {
    await admin.disconnect();
    await producer.disconnect();
  });
});

/**
 * Routes kafkajs's logs into pino at info/debug: kafkajs logs every retriable broker
 * response (coordinator loading, leader moving) at ERROR although it retries them. The
 * failures that matter surface as rejected sends and consumer crashes, which we log at
 * warn/error ourselves, so the default (warn) stays quiet.
 */
function pinoLogCreator(log: FastifyBaseLogger): logCreator {
  return () =>
    ({ level, log: entry }) => {
      const { message, ...rest } = entry;
      // We bound the idempotent producer's retries on purpose (see above); kafkajs warns on
      // every start that this weakens exactly-once, which does not apply: we never claim it.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      if (level <= KafkaLogLevel.WARN) log.info(rest, message);
      else log.debug(rest, message);
    };
}
