import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { couponKeys } from '@perf-lab/contract';
import { audit, type AuditReport, type PerfLabConfig } from '../src/index.ts';
import { FIXTURE_LOG, inv, paidEventJson, useAuditFixture, violatedNames } from './audit-fixture.ts';
import { runCli } from '../../cli/test/run-cli.ts';
import { freePort } from './free-port.ts';

/**
 * Evidence the audit must not trust blindly: each case breaks the evidence (the log, a
 * service, the pipeline), expects unknown with the reason — never ok — and then restores it
 * and expects ok again.
 */
describe('audit: unknown, never ok, on evidence it cannot trust', () => {
  const f = useAuditFixture('auditunknown');
  const expectOk = async () => expect((await f.run()).verdict).toBe('ok');
  const unknownBecause = (report: AuditReport, pattern: RegExp) => {
    expect(report.verdict).toBe('unknown');
    expect(report.reasons.join('\n')).toMatch(pattern);
  };

  it('the operations log is missing or empty', async () => {
    rmSync(path.join(f.runDir, 'operations.log'));
    unknownBecause(await f.run(), /operations\.log is missing/);
    writeFileSync(path.join(f.runDir, 'operations.log'), '');
    unknownBecause(await f.run(), /operations\.log is empty although the run made 8 operations/);
    f.writeRun(FIXTURE_LOG);
    await expectOk();
  });

  it('`perf-lab audit` exits 3 and prints the reason; `--set` settings are used and named', async () => {
    const c = f.db.config;
    const env = {
      PERF_LAB_MYSQL_URL: c.mysql.url, PERF_LAB_REDIS_URL: c.redis.url, PERF_LAB_KAFKA_BROKERS: c.kafka.brokers.join(','),
      PERF_LAB_REDIS_KEY_PREFIX: c.redisKeyPrefix, PERF_LAB_KAFKA_TOPIC_PREFIX: c.kafka.topicPrefix, PERF_LAB_CONSUMER_GROUP: c.kafka.consumerGroup,
      PERF_LAB_STATE_DIR: c.stateDir, PERF_LAB_MANAGE: '',
    };
    rmSync(path.join(f.runDir, 'operations.log'));
    const missing = await runCli(['audit', '--run', f.runDir, '--timeout', '5'], env);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toMatch(/audit UNKNOWN/);
    expect(missing.stdout).toMatch(/unknown because the run's operations\.log is missing/);
    f.writeRun(FIXTURE_LOG);
    const ok = await runCli(['audit', '--run', f.runDir, '--timeout', '5', '--set', 'lock=global', '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ok', reasons: [], settings: { source: 'given to audit', values: { REF_LOCK_SCOPE: 'global' } } });
  });

  it('lines lost at the end: says how many, and a holder whose line was lost is not called a violation', async () => {
    // User 15's line and the two order lines lost; the summary still counts all 8.
    const kept = FIXTURE_LOG.filter((l) => !l.includes('user=15') && !l.includes('order.create'));
    writeFileSync(path.join(f.runDir, 'operations.log'), kept.map((l) => `${l}\n`).join(''));
    const report = await f.run();
    unknownBecause(report, /incomplete: 3 of 8 operations have no well-formed line/);
    expect(report.operations).toMatchObject({ lines: 5, expected: 8, missing: 3 });
    expect(inv(report, 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'indeterminate', examples: ['coupon 1 user 15: holds it without any request'] });
    f.writeRun(FIXTURE_LOG);
    await expectOk();
  });

  it('a malformed line is missing evidence, never a query parameter', async () => {
    const broken = FIXTURE_LOG.map((l) => l
      .replace('order=1 key=k-1', 'order=')
      .replace('coupon=1 user=13', 'coupon=NaN user=13'));
    // The last line is cut short too: no end of line.
    writeFileSync(path.join(f.runDir, 'operations.log'), `${broken.map((l) => `${l}\n`).join('')}perf-lab-op coupon.issue outcome=ack coup`);
    const report = await f.run();
    unknownBecause(report, /3 malformed line\(s\) in operations\.log \(line 3: coupon "NaN"; line 7: order ""; line 9: cut short \(no end of line\)\)/);
    expect(report.operations).toMatchObject({ lines: 6, malformed: 3, expected: 8, missing: 2 });
    expect(report.invariants.flatMap((i) => i.examples).join('\n')).not.toMatch(/order 0/);
    f.writeRun(FIXTURE_LOG);
    await expectOk();
  });

  it('an aborted run: a holder as many as its VUs could have had in flight is indeterminate, more are violations', async () => {
    const summaryFile = path.join(f.runDir, 'summary.json');
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { metrics: Record<string, unknown> };
    summary.metrics['vus_max'] = { type: 'gauge', values: { value: 2, min: 2, max: 2 } };
    writeFileSync(summaryFile, JSON.stringify(summary));
    writeFileSync(path.join(f.runDir, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, aborted: true }));
    const issue = async (users: number[]) => {
      await f.conn.query(`INSERT INTO user_coupons (user_id, coupon_id) VALUES ${users.map((u) => `(${u}, 1)`).join(', ')}; UPDATE coupons SET issued = issued + ${users.length} WHERE id = 1`);
      await f.redis.sadd(couponKeys(f.db.config.redisKeyPrefix, 1).issued, ...users.map(String));
      await f.redis.incrby(couponKeys(f.db.config.redisKeyPrefix, 1).stock, -users.length);
    };
    await issue([23, 24]);
    let report = await f.run();
    expect(report.verdict).toBe('unknown');
    expect(inv(report, 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'indeterminate', violations: 2, undecided: expect.stringMatching(/up to 2 request\(s\) were in flight, never logged, when the run cut their VUs off \(an abort/) });
    await issue([25]);
    report = await f.run();
    expect(inv(report, 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'violated', violations: 3 });
    // The embedded engine counts what it cut off, at the abort too: its count is the bound, not the VUs.
    writeFileSync(path.join(f.runDir, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, aborted: true, interruptedInFlight: 3 }));
    expect(inv(await f.run(), 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'indeterminate', violations: 3, undecided: expect.stringMatching(/up to 3 request/) });
    writeFileSync(path.join(f.runDir, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, aborted: true, interruptedInFlight: 1 }));
    expect(inv(await f.run(), 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'violated', violations: 3 });
    await f.conn.query('DELETE FROM user_coupons WHERE user_id IN (23, 24, 25); UPDATE coupons SET issued = 5 WHERE id = 1');
    await f.redis.srem(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '23', '24', '25');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '5');
    await expectOk();
  });

  it('VUs cut off at a graceful stop: as many phantom orders as requests they had in flight are indeterminate, one more is a violation', async () => {
    // A run that ended (not aborted) whose engine cut off 2 VUs mid-POST: orders the server paid,
    // whose answers, and so whose log lines, never came.
    writeFileSync(path.join(f.runDir, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, aborted: false, interruptedInFlight: 2 }));
    // Paid orders as the server writes them (lines, payment, charge, event), for users with no other order.
    const pay = async (orderIds: number[]) => {
      for (const id of orderIds) {
        const user = id + 10;
        await f.conn.query(`
          INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, idempotency_key) VALUES (${id}, ${user}, 'PAID', 400, 0, 400, '${user}-7-1764480000000');
          INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (${id}, 1, 2, 100), (${id}, 4, 2, 100);
          INSERT INTO payments (order_id, user_id, amount, status, transaction_id) VALUES (${id}, ${user}, 400, 'PAID', 'order:${id}');
          INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) VALUES ('order:${id}', ${user}, -400, 'PAYMENT', 999600, ${id});
          INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, payload, sent_at) VALUES (${id}, 'order', '${id}', 'OrderPaid', ?, NOW(3));
          UPDATE users SET balance = balance - 400 WHERE id = ${user};
          UPDATE products SET quantity = quantity - 2 WHERE id IN (1, 4);`, [paidEventJson(id, user, [[1, 2], [4, 2]])]);
      }
      await f.publish(orderIds);
    };
    await pay([2, 3]);
    let report = await f.run();
    expect(violatedNames(report)).toEqual([]);
    expect(report.verdict).toBe('unknown');
    expect(inv(report, 'order.no-phantom-orders')).toMatchObject({
      status: 'indeterminate', violations: 2,
      undecided: expect.stringMatching(/up to 2 request\(s\) were in flight, never logged, when the run cut their VUs off \(.*gracefulRampDown\)/),
    });
    await pay([4]);
    report = await f.run();
    expect(report.verdict).toBe('violated');
    expect(violatedNames(report)).toEqual(['order.no-phantom-orders']);
    expect(inv(report, 'order.no-phantom-orders')).toMatchObject({ status: 'violated', violations: 3 });
    // A record without the count (a k6 binary's run) bounds nothing: 2 phantoms are violations again.
    writeFileSync(path.join(f.runDir, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, aborted: false }));
    await f.conn.query(`DELETE FROM outbox_events WHERE id = 4; DELETE FROM balance_history WHERE order_id = 4; DELETE FROM payments WHERE order_id = 4;
      DELETE FROM order_items WHERE order_id = 4; DELETE FROM orders WHERE id = 4; UPDATE users SET balance = balance + 400 WHERE id = 14;
      UPDATE products SET quantity = quantity + 2 WHERE id IN (1, 4);`);
    expect(inv(await f.run(), 'order.no-phantom-orders')).toMatchObject({ status: 'violated', violations: 2 });
  });

  describe('a service that accepts connections and never answers', () => {
    let silent: net.Server;
    let address: string;
    const sockets = new Set<net.Socket>();
    beforeAll(async () => {
      silent = net.createServer((s) => sockets.add(s));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const withService = (patch: (c: PerfLabConfig) => PerfLabConfig) =>
      audit(patch(f.db.config), { runDir: f.runDir, drainTimeoutMs: 2000, queryTimeoutMs: 1500 });

    it('Redis, MySQL and Kafka are each named with their address, within the bound', async () => {
      const started = Date.now();
      unknownBecause(await withService((c) => ({ ...c, redis: { ...c.redis, url: `redis://${address}` } })), new RegExp(`Redis at ${address}`));
      const [host, port] = address.split(':');
      unknownBecause(await withService((c) => ({ ...c, mysql: { ...c.mysql, host: host!, port: Number(port) } })), new RegExp(`MySQL at ${address}`));
      unknownBecause(await withService((c) => ({ ...c, kafka: { ...c.kafka, brokers: [address] } })), new RegExp(`Kafka at ${address}`));
      // Three silent services, each given up on after its bound — not 150 s.
      expect(Date.now() - started).toBeLessThan(30_000);
      await expectOk();
    });

    it('an unreachable Kafka is named with its address, not a client stack trace', async () => {
      const closed = `127.0.0.1:${await freePort()}`;
      const report = await withService((c) => ({ ...c, kafka: { ...c.kafka, brokers: [closed] } }));
      unknownBecause(report, new RegExp(`Kafka at ${closed}`));
    });
  });

  describe('the pipeline has not drained', () => {
    const kafka = () => new Kafka({ clientId: 'perf-lab-audit-test', brokers: [...f.db.config.kafka.brokers], logLevel: logLevel.NOTHING });
    const topic = () => `${f.db.config.kafka.topicPrefix}coupon-issue-requests`;

    it('acknowledged-but-unwritten is indeterminate (unknown); a duplicate is still violated', async () => {
      // One request still in Kafka (the consumer group has committed nothing), and user 14's
      // acknowledged coupon not yet in MySQL — what an in-flight message looks like.
      const producer = kafka().producer();
      await producer.connect();
      await producer.send({ topic: topic(), messages: [{ key: '14', value: '{"userId":14}' }] });
      await producer.disconnect();
      await f.conn.query('DELETE FROM user_coupons WHERE user_id = 14 AND coupon_id = 1; UPDATE coupons SET issued = 4 WHERE id = 1');
      let report = await f.run({ drainTimeoutMs: 500 });
      expect(report.drain).toMatchObject({ drained: false, kafkaLag: 1 });
      expect(report.verdict).toBe('unknown');
      expect(inv(report, 'coupon.acknowledged-persisted')).toMatchObject({ status: 'indeterminate', examples: ['coupon 1 user 14'] });
      expect(inv(report, 'coupon.redis-set-matches-db')).toMatchObject({ status: 'indeterminate' });
      expect(report.reasons.join('\n')).toMatch(/did not drain .*Kafka lag 1/);

      // A duplicate cannot come from a message not yet consumed.
      await f.conn.query('ALTER TABLE user_coupons DROP INDEX uq_user_coupons_user_coupon; INSERT INTO user_coupons (user_id, coupon_id) VALUES (12, 1); UPDATE coupons SET issued = 5 WHERE id = 1');
      report = await f.run({ drainTimeoutMs: 500 });
      expect(report.verdict).toBe('violated');
      expect(inv(report, 'coupon.no-duplicate-issuance')).toMatchObject({ status: 'violated', examples: ['coupon 1 user 12 ×2'] });

      // The consumer catches up: commit the group at the end, restore the state.
      const admin = kafka().admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topic());
      await admin.setOffsets({ groupId: f.db.config.kafka.consumerGroup, topic: topic(), partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
      await admin.disconnect();
      await f.conn.query(`DELETE FROM user_coupons WHERE user_id = 12 AND coupon_id = 1 ORDER BY id DESC LIMIT 1;
        ALTER TABLE user_coupons ADD UNIQUE KEY uq_user_coupons_user_coupon (user_id, coupon_id);
        INSERT INTO user_coupons (user_id, coupon_id) VALUES (14, 1); UPDATE coupons SET issued = 5 WHERE id = 1`);
      await f.redis.sadd(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '14');
      await expectOk();
    });
  });
});
