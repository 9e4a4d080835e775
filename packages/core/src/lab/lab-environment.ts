import type { PerfLabConfig } from '../config/config.ts';

/**
 * The lab's addresses under the environment names every perf-lab program reads — the reference
 * server, its tests and benches, perf-lab itself — including the Redis URL with the lab's
 * password. For child processes only: it holds a secret, so it is passed, never printed.
 */
export function labEnvironment(config: PerfLabConfig): Record<string, string> {
  return {
    PERF_LAB_STATE_DIR: config.stateDir,
    PERF_LAB_MYSQL_URL: config.mysql.url,
    PERF_LAB_REDIS_URL: config.redis.url,
    PERF_LAB_KAFKA_BROKERS: config.kafka.brokers.join(','),
    PERF_LAB_KAFKA_CONTROLLER_PORT: String(config.kafka.controllerPort),
    PERF_LAB_KAFKA_HOME: config.kafka.home,
    PERF_LAB_TARGET_URL: config.targetUrl,
    PERF_LAB_REDIS_KEY_PREFIX: config.redisKeyPrefix,
    PERF_LAB_KAFKA_TOPIC_PREFIX: config.kafka.topicPrefix,
    PERF_LAB_CONSUMER_GROUP: config.kafka.consumerGroup,
    // Without it, the URLs above would make every service external for a perf-lab child.
    PERF_LAB_MANAGE: [...config.managed].join(','),
  };
}
