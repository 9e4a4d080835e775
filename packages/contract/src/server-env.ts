/**
 * The environment variables the reference server reads, by its config key. The three service
 * addresses are perf-lab's own names, so one shell setup drives both programs; the rest are
 * the server's REF_* settings, which perf-lab sets when it starts the server.
 */
export const LAB_ENV = {
  mysqlUrl: 'PERF_LAB_MYSQL_URL',
  redisUrl: 'PERF_LAB_REDIS_URL',
  kafkaBrokers: 'PERF_LAB_KAFKA_BROKERS',
} as const;

export const SERVER_ENV = {
  ...LAB_ENV,
  host: 'REF_HOST',
  port: 'REF_PORT',
  logLevel: 'REF_LOG_LEVEL',
  mysqlPool: 'REF_MYSQL_POOL',
  redisKeyPrefix: 'REF_REDIS_KEY_PREFIX',
  kafkaTopicPrefix: 'REF_KAFKA_TOPIC_PREFIX',
  kafkaSendTimeoutMs: 'REF_KAFKA_SEND_TIMEOUT_MS',
  kafkaPartitions: 'REF_KAFKA_PARTITIONS',
  consumerGroup: 'REF_CONSUMER_GROUP',
  consumerEnabled: 'REF_CONSUMER_ENABLED',
  couponStrategy: 'REF_COUPON_STRATEGY',
  migrateOnStart: 'REF_MIGRATE_ON_START',
  lockScope: 'REF_LOCK_SCOPE',
  lockLeaseMs: 'REF_LOCK_LEASE_MS',
  lockWaitMs: 'REF_LOCK_WAIT_MS',
  txRetries: 'REF_ORDER_TX_RETRIES',
  outboxTopic: 'REF_OUTBOX_TOPIC',
  outboxIntervalMs: 'REF_OUTBOX_INTERVAL_MS',
  outboxBatchSize: 'REF_OUTBOX_BATCH_SIZE',
  outboxRelay: 'REF_OUTBOX_RELAY',
  reservationTimeoutMs: 'REF_RESERVATION_TIMEOUT_MS',
  sweepIntervalMs: 'REF_RESERVATION_SWEEP_MS',
  consumerSessionTimeoutMs: 'REF_CONSUMER_SESSION_TIMEOUT_MS',
  headersTimeoutMs: 'REF_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'REF_REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'REF_KEEPALIVE_TIMEOUT_MS',
  shutdownTimeoutMs: 'REF_SHUTDOWN_TIMEOUT_MS',
  testHolderPauseMs: 'REF_TEST_HOLDER_PAUSE_MS',
} as const;
export type ServerEnvKey = keyof typeof SERVER_ENV;
export type ServerEnvName = (typeof SERVER_ENV)[ServerEnvKey];

/**
 * Where both programs look for the lab when nothing says otherwise: ports 10000 above each
 * product's usual one, so a system MySQL/Redis/Kafka never clashes.
 */
export const DEFAULT_ADDRESSES = {
  mysqlUrl: 'mysql://perflab:perflab@127.0.0.1:13306/perf_lab',
  redisUrl: 'redis://127.0.0.1:16379',
  kafkaBrokers: '127.0.0.1:19092',
  serverHost: '127.0.0.1',
  serverPort: 18080,
} as const;
