/**
 * Throughput of POST /api/coupons/:id/issue (redis-kafka) against the same server's no-op
 * POST, in one run. Goal: coupon issue ≥ 50 % of the no-op's requests/s.
 *   npx tsx reference-server/bench/coupon-issue.ts [--duration 10] [--connections 64]
 * Starts the server as a child process (so the load generator does not share its event
 * loop) on a throwaway database, key prefix and topic, and removes them afterwards.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config.ts';

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '64' } },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const base = loadConfig();
const id = randomBytes(4).toString('hex');
const database = `ref_bench_${id}`;
const keyPrefix = `ref-bench:${id}:`;
const topicPrefix = `ref-bench-${id}.`;
const mysqlUrl = Object.assign(new URL(base.mysql.url), { pathname: `/${database}` }).toString();

const admin = await mysql.createConnection(base.mysql.url);
await admin.query(`CREATE DATABASE ${database}`);
const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/server.ts', import.meta.url))], {
  env: {
    ...process.env,
    PERF_LAB_MYSQL_URL: mysqlUrl,
    REF_PORT: '0',
    REF_REDIS_KEY_PREFIX: keyPrefix,
    REF_KAFKA_TOPIC_PREFIX: topicPrefix,
    REF_CONSUMER_GROUP: `ref-bench-${id}`,
    REF_COUPON_STRATEGY: 'redis-kafka',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  const [res] = await admin.query<mysql.ResultSetHeader>(
    `INSERT INTO ${database}.coupons (name, total) VALUES ('bench', 100000000)`,
  );
  const couponId = res.insertId;
  let nextUser = 1;
  const json = { 'content-type': 'application/json' };
  const noop = { method: 'POST', path: '/api/noop', headers: json, body: '{"userId":1}' };
  const coupon = {
    method: 'POST',
    path: `/api/coupons/${couponId}/issue`,
    headers: json,
    // A fresh user per request: every request takes the full reserve + produce path.
    setupRequest: (req: object) => ({ ...req, body: JSON.stringify({ userId: nextUser++ }) }),
  };

  await run(url, noop, 3); // warm-up: JIT, connection pools
  await run(url, coupon, 3);
  const n = await run(url, noop, duration);
  const c = await run(url, coupon, duration);
  const health = (await (await fetch(`${url}/health`)).json()) as { consumer: { issued: number } };

  const row = (name: string, r: Measured) =>
    `${name.padEnd(14)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95
      .toFixed(1)
      .padStart(6)} ms   non-2xx ${r.non2xx}`;
  process.stdout.write(`\n${connections} connections, ${duration} s each, server ${url}\n`);
  process.stdout.write(`${row('no-op POST', n)}\n${row('coupon issue', c)}\n`);
  process.stdout.write(`ratio ${((100 * c.rps) / n.rps).toFixed(1)} % of no-op (goal >= 50 %)\n`);
  process.stdout.write(`consumer applied ${health.consumer.issued} of ${nextUser - 1} accepted by the end of the run\n`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
  await cleanupRedis();
  await cleanupKafka();
}

interface Measured {
  rps: number;
  p50: number;
  p95: number;
  non2xx: number;
}

async function run(url: string, request: object, seconds: number): Promise<Measured> {
  const times: number[] = [];
  const instance = autocannon({ url, connections, duration: seconds, requests: [request] });
  instance.on('response', (_c, _s, _b, ms) => times.push(ms));
  const result = await instance;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { rps: result.requests.total / seconds, p50: at(0.5), p95: at(0.95), non2xx: result.non2xx + result.errors };
}

async function cleanupRedis(): Promise<void> {
  const redis = new Redis(base.redis.url);
  const keys = await redis.keys(`${keyPrefix}*`); // a handful of keys under our own prefix
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

async function cleanupKafka(): Promise<void> {
  const kafkaAdmin = new Kafka({ brokers: [...base.kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await kafkaAdmin.connect();
  const topics = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith(topicPrefix));
  if (topics.length > 0) await kafkaAdmin.deleteTopics({ topics });
  await kafkaAdmin.disconnect();
}
