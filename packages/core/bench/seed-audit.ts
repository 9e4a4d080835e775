/**
 * Benchmark (not a test): `npm run bench:seed-audit`. Seeds the default data set (150,000
 * users, carts, coupons, products) into a scratch database and times it, then lays down a
 * full run's worth of results — 50,000 issued coupons with their Redis state and operations
 * log, 5,000 paid orders with ledger, payments and outbox, their events on the order-events
 * topic — and times the audit over it, the topic read included.
 * Goals from the issue: seed ≤ 5 s, audit ≤ 3 s.
 */
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import {
  EVENT_ID_HEADER, LEDGER_TYPES, ORDER_AGGREGATE, ORDER_PAID_EVENT, ORDER_PAID_STATUS, couponKeys, orderEventsTopic, orderPaidPayload,
} from '@perf-lab/contract';
import { cpuPerOperation, cpuText, startCpuWindow } from '@perf-lab/process-cpu';
import { audit, resolveConfig, runMigrations, seed } from '../src/index.ts';
import { CPU_COMPONENTS, runCpuTargets } from '../src/run/run-cpu.ts';

const ISSUED = 50_000;
const ORDERS = 5_000;

const main = await resolveConfig();
const database = `${main.mysql.database}_bench_seed_audit_${process.pid}`;
const admin = await mysql.createConnection({ host: main.mysql.host, port: main.mysql.port, user: main.mysql.user, password: main.mysql.password });
await admin.query(`CREATE DATABASE \`${database}\``);
const url = new URL(main.mysql.url);
url.pathname = `/${database}`;
const config = await resolveConfig({ flags: { mysqlUrl: url.toString(), redisUrl: main.redis.url, manage: '', redisKeyPrefix: `bench:${process.pid}:`, kafkaTopicPrefix: `bench-${process.pid}-`, stateDir: mkdtempSync(path.join(tmpdir(), 'perf-lab-bench-')) } });
const redis = new Redis(config.redis.url);
try {
  await runMigrations(config);
  // CPU of the lab's services (by the main config's pid files) and this process, per user seeded / operation audited.
  const targets = runCpuTargets(main).filter((t) => t.name !== CPU_COMPONENTS.server);
  const seedCpu = startCpuWindow(targets);
  const seeded = await seed(config);
  const seedCpuReport = cpuPerOperation(seedCpu.stop(), seeded.users);
  console.log(`seed (default data set: ${seeded.users.toLocaleString('en-US')} users): ${seeded.seconds.toFixed(2)} s  (goal ≤ 5 s: ${seeded.seconds <= 5 ? 'met' : 'NOT met'})`);

  const conn = await mysql.createConnection({ uri: config.mysql.url, multipleStatements: true });
  await conn.query(`
    INSERT INTO user_coupons (user_id, coupon_id) SELECT id, 1 FROM users WHERE id <= ${ISSUED};
    UPDATE coupons SET issued = ${ISSUED} WHERE id = 1;
    INSERT INTO orders (id, user_id, status, total_amount, discount_amount, paid_amount, idempotency_key)
      SELECT id, id, ${conn.escape(ORDER_PAID_STATUS)}, 20000, 0, 20000, CONCAT('k-', id) FROM users WHERE id <= ${ORDERS};
    INSERT INTO order_items (order_id, product_id, quantity, unit_price) SELECT id, 1, 2, 10000 FROM orders;
    INSERT INTO payments (order_id, user_id, amount, status, transaction_id) SELECT id, user_id, 20000, ${conn.escape(ORDER_PAID_STATUS)}, CONCAT('pay-', id) FROM orders;
    INSERT INTO balance_history (transaction_id, user_id, amount, type, balance_after, order_id) SELECT CONCAT('pay-', id), user_id, -20000, ${conn.escape(LEDGER_TYPES.payment)}, 980000, id FROM orders;
    UPDATE users SET balance = balance - 20000 WHERE id <= ${ORDERS};
    UPDATE products SET quantity = quantity - ${ORDERS * 2} WHERE id = 1;`);
  // Each order's event as the server writes it (order n is user n's).
  const payload = (n: number) => JSON.stringify(orderPaidPayload({
    orderId: n, userId: n, totalAmount: 20000, discountAmount: 0, paidAmount: 20000, couponId: null, items: [{ productId: 1, quantity: 2, unitPrice: 10000 }],
  }));
  await conn.query('INSERT INTO outbox_events (aggregate_type, aggregate_id, type, payload, sent_at) VALUES ?',
    [Array.from({ length: ORDERS }, (_, i) => [ORDER_AGGREGATE, String(i + 1), ORDER_PAID_EVENT, payload(i + 1), new Date()])]);
  await conn.end();
  const keys = couponKeys(config.redisKeyPrefix, 1);
  const pipeline = redis.pipeline();
  for (let start = 1; start <= ISSUED; start += 5000) pipeline.sadd(keys.issued, ...Array.from({ length: 5000 }, (_, i) => String(start + i)));
  pipeline.set(keys.stock, String(seeded.manifest.plan.couponStock - ISSUED));
  await pipeline.exec();
  // The relay's work: every outbox event on its topic, with the event-id header the audit matches.
  const kafka = new Kafka({ clientId: 'perf-lab-bench', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 1; start <= ORDERS; start += 1000) {
    await producer.send({ topic: orderEventsTopic(config.kafka.topicPrefix), acks: -1, messages: Array.from({ length: Math.min(1000, ORDERS - start + 1) }, (_, i) => ({
      key: String(start + i), value: payload(start + i), headers: { [EVENT_ID_HEADER]: String(start + i) },
    })) });
  }
  await producer.disconnect();
  const runDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-bench-run-'));
  copyFileSync(seeded.manifestFile, path.join(runDir, 'seed-manifest.json'));
  const lines: string[] = [];
  for (let u = 1; u <= ISSUED; u++) lines.push(`perf-lab-op coupon.issue outcome=ack coupon=1 user=${u} status=202 reason=OK`);
  for (let u = 1; u <= ORDERS; u++) lines.push(`perf-lab-op order.create outcome=ack user=${u} status=201 reason=OK order=${u} key=k-${u}`);
  writeFileSync(path.join(runDir, 'operations.log'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(runDir, 'summary.json'), JSON.stringify({ metrics: { perf_lab_successes: { type: 'counter', values: { count: lines.length } } } }));

  const auditCpu = startCpuWindow(targets);
  const report = await audit(config, { runDir, drainTimeoutMs: 5000 });
  const auditCpuReport = cpuPerOperation(auditCpu.stop(), lines.length);
  const bad = report.invariants.filter((i) => !i.ok).map((i) => i.name);
  if (report.reasons.length > 0) console.log(`unknown because: ${report.reasons.join('; ')}`);
  const slowest = [...report.invariants].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 3).map((i) => `${i.name} ${i.ms} ms`);
  console.log(`  drain check ${(report.drain.waitedSeconds * 1000).toFixed(0)} ms; slowest checks (overlapping): ${slowest.join(', ')}`);
  console.log(`audit (${report.invariants.length} invariants, ${ISSUED.toLocaleString('en-US')} issued coupons, ${ORDERS.toLocaleString('en-US')} orders, ${report.operations?.lines.toLocaleString('en-US')} logged operations): ${report.seconds.toFixed(2)} s  verdict ${report.verdict}${bad.length ? ` (${bad.join(', ')})` : ''}  (goal ≤ 3 s: ${report.seconds <= 3 ? 'met' : 'NOT met'})`);
  process.stdout.write(`\n${cpuText(seedCpuReport, 'seed (an operation = a user seeded)')}\n${cpuText(auditCpuReport, 'audit (an operation = a logged operation audited)')}`);
} finally {
  redis.disconnect();
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  const cleanup = new Redis(config.redis.url);
  const stale = await cleanup.keys(`${config.redisKeyPrefix}*`);
  if (stale.length) await cleanup.del(...stale);
  cleanup.disconnect();
  const kafkaAdmin = new Kafka({ clientId: 'perf-lab-bench', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.deleteTopics({ topics: [orderEventsTopic(config.kafka.topicPrefix)] }).catch(() => undefined);
  await kafkaAdmin.disconnect();
  await admin.end();
}
