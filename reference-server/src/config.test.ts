import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the lab defaults', () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 18080,
      couponStrategy: 'redis-kafka',
      mysql: { url: 'mysql://perflab:perflab@127.0.0.1:13306/perf_lab', poolSize: 10 },
      redis: { url: 'redis://127.0.0.1:16379', keyPrefix: '' },
      kafka: { brokers: ['127.0.0.1:19092'] },
    });
    expect(Object.isFrozen(c.kafka)).toBe(true);
  });

  it('layers defaults < env < explicit overrides', () => {
    const env = { REF_PORT: '9000', REF_MYSQL_POOL: '100', PERF_LAB_KAFKA_BROKERS: 'a:1, b:2' };
    const c = loadConfig({ port: 9100 }, env);
    expect(c.port).toBe(9100);
    expect(c.mysql.poolSize).toBe(100);
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
  });

  it.each([
    [{ REF_PORT: 'eighty' }, /REF_PORT \(port\) = "eighty"/],
    [{ REF_MYSQL_POOL: '0' }, /REF_MYSQL_POOL \(mysqlPool\) = "0"/],
    [{ REF_COUPON_STRATEGY: 'fast' }, /REF_COUPON_STRATEGY \(couponStrategy\) = "fast".*redis-kafka \| db-only \| naive/],
    [{ PERF_LAB_MYSQL_URL: 'postgres://x' }, /PERF_LAB_MYSQL_URL/],
    [{ PERF_LAB_KAFKA_BROKERS: 'localhost' }, /PERF_LAB_KAFKA_BROKERS \(kafkaBrokers\) = "localhost"/],
    [{ REF_CONSUMER_ENABLED: 'maybe' }, /REF_CONSUMER_ENABLED/],
  ])('rejects %j naming key and value', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(ConfigError);
    expect(() => loadConfig({}, env)).toThrow(message);
  });
});
