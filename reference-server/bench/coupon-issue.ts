/**
 * Throughput of POST /api/coupons/:id/issue (redis-kafka) against the same server's no-op
 * POST, in one run, with the consumer running in the same server process. Goal: coupon
 * issue ≥ 50 % of the no-op's requests/s, and a consumer that keeps up.
 *   npx tsx reference-server/bench/coupon-issue.ts [--duration 10] [--connections 64] [--backlog 50000] [--peak 500] [--users 2000000] [--cpu-prof dir] [--coupon-only]
 * First it measures the consumer alone: `backlog` requests are queued in the topic (with
 * their Redis reservations) before the server starts, and it times how fast they are applied.
 * Then saturation: coupon issue at `peak` connections with no think time (p95 and system errors:
 * the seed's peak profile thinks 0.1 s per request, so it asks for ~10 % of this; its own
 * figure comes from `perf-lab lab --scenario coupon --profile peak`). CPU per process
 * (server, MariaDB, Redis, Kafka, this load generator) over the no-op and coupon runs, per 2xx.
 * Starts the server as a child process (so the load generator does not share its event
 * loop) on a throwaway database, key prefix and topic, and removes them afterwards.
 */
import { DEFAULT_COUPON_STRATEGY, couponIssueTopic, couponKeys } from '@perf-lab/contract';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { ENV_NAMES, loadConfig } from '../src/config.ts';
import { encodeIssueRequests } from '../src/coupon/issue-request-message.ts';
import { cpuPerOperation, cpuText, type CpuReport } from '@perf-lab/process-cpu';
import { startBenchCpuWindow } from './bench-cpu.ts';
import { migrate } from '../src/migrate.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    backlog: { type: 'string', default: '50000' },
    peak: { type: 'string', default: '500' },
    users: { type: 'string', default: '2000000' },
    // A folder for the server's V8 CPU profile (node --cpu-prof), written when it exits.
    'cpu-prof': { type: 'string' },
    // Coupon issue only (no drain, no-op or peak), so a --cpu-prof profile shows its path alone.
    'coupon-only': { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const couponOnly = args['coupon-only'];
const backlog = couponOnly ? 0 : Number(args.backlog);
/** The backlog's topic is made here, before the server would make it. */
const BACKLOG_PARTITIONS = 3;
const peakConnections = Number(args.peak);
const users = Number(args.users);
const base = loadConfig();
const id = randomBytes(4).toString('hex');
const database = `ref_bench_${id}`;
const keyPrefix = `ref-bench:${id}:`;
const topicPrefix = `ref-bench-${id}.`;
const mysqlUrl = Object.assign(new URL(base.mysql.url), { pathname: `/${database}` }).toString();

const admin = await mysql.createConnection(base.mysql.url);
await admin.query(`CREATE DATABASE ${database}`);
const migrated = await migrate(mysqlUrl);
if (migrated.error) throw migrated.error;
// Users the server knows (an issue to an unknown user is a 404 that reserves nothing): more
// than the runs can use, one fresh user per request. MariaDB's sequence engine makes them in one statement.
await admin.query(`INSERT INTO ${database}.users (id, balance) SELECT seq, 0 FROM seq_1_to_${users}`);
await queueBacklog();
const profile = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
const server = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(new URL('../src/server.ts', import.meta.url))], {
  env: {
    ...process.env,
    [ENV_NAMES.mysqlUrl]: mysqlUrl,
    [ENV_NAMES.port]: '0',
    [ENV_NAMES.redisKeyPrefix]: keyPrefix,
    [ENV_NAMES.kafkaTopicPrefix]: topicPrefix,
    [ENV_NAMES.consumerGroup]: `ref-bench-${id}`,
    // The default strategy (redis-kafka): the path the doc above measures.
    [ENV_NAMES.couponStrategy]: DEFAULT_COUPON_STRATEGY,
    [ENV_NAMES.migrateOnStart]: 'false',
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
  const drain = await measureDrain(url);
  const [res] = await admin.query<mysql.ResultSetHeader>(
    `INSERT INTO ${database}.coupons (name, total) VALUES ('bench', 100000000)`,
  );
  const couponId = res.insertId;
  let nextUser = backlog + 1;
  const json = { 'content-type': 'application/json' };
  const noop = { method: 'POST', path: '/api/noop', headers: json, body: '{"userId":1}' };
  const coupon = {
    method: 'POST',
    path: `/api/coupons/${couponId}/issue`,
    headers: json,
    // A fresh user per request: every request takes the full reserve + produce path.
    // Concatenated, not JSON.stringify'd: the load generator shares the 2 cores it measures.
    setupRequest: (req: object) => ({ ...req, body: `{"userId":${nextUser++}}` }),
  };

  const couponRow = (name: string, r: Measured) =>
    `${name.padEnd(14)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95
      .toFixed(1)
      .padStart(6)} ms   non-2xx ${r.non2xx}   system errors ${r.systemErrors}`;
  const n = couponOnly ? undefined : await measureNoop(url, noop);
  const warm = await run(url, coupon, 3);
  // The coupon window runs until the consumer has applied what the run accepted: an issued
  // coupon costs its MariaDB insert and Kafka fetch too, not just the 202.
  const couponCpu = startBenchCpuWindow(base, server.pid);
  const c = await run(url, coupon, duration);
  // Everything the HTTP runs got accepted, beyond the backlog, must be applied too.
  let accepted = backlog + warm.accepted + c.accepted;
  const appliedAtEnd = (await issuedSoFar(url)) - backlog;
  const caughtUpAt = Date.now();
  await waitUntil(async () => (await issuedSoFar(url)) >= accepted, 120_000);
  const catchUpMs = Date.now() - caughtUpAt;
  const couponReport = cpuPerOperation(couponCpu.stop(), c.accepted);
  process.stdout.write(`\n${connections} connections, ${duration} s each, server ${url}\n`);
  if (n) {
    process.stdout.write(`${couponRow('no-op POST', n.measured)}\n${couponRow('coupon issue', c)}\n`);
    process.stdout.write(`ratio ${((100 * c.rps) / n.measured.rps).toFixed(1)} % of no-op (goal >= 50 %)\n`);
  } else process.stdout.write(`${couponRow('coupon issue', c)}\n`);
  process.stdout.write(
    `consumer: drained a backlog of ${backlog} at ${drain.toFixed(0)} msg/s; during the runs applied ${appliedAtEnd} of ${
      accepted - backlog
    } accepted by their end, the rest ${catchUpMs} ms later\n`,
  );
  if (!couponOnly) {
    const peak = await run(url, coupon, duration, peakConnections);
    accepted += peak.accepted;
    await waitUntil(async () => (await issuedSoFar(url)) >= accepted, 120_000);
    process.stdout.write(`${couponRow(`saturation ${peakConnections}`, peak)}\n`);
    process.stdout.write(
      `${peakConnections} connections without think time: p95 ${peak.p95.toFixed(1)} ms, ${peak.systemErrors} system errors (goal 0; the 25 ms p95 goal is the seed's peak profile, which thinks 0.1 s: perf-lab lab --scenario coupon --profile peak)\n`,
    );
  }
  if (n) process.stdout.write(`\n${cpuText(n.cpu, 'no-op POST')}`);
  process.stdout.write(`\n${cpuText(couponReport, 'coupon issue (until the consumer applied them)')}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
  await cleanupRedis();
  await cleanupKafka();
}

/** Warm-up (JIT, connection pools), then the no-op POST's own measured run and its CPU. */
async function measureNoop(url: string, noop: object): Promise<{ measured: Measured; cpu: CpuReport }> {
  await run(url, noop, 3);
  const window = startBenchCpuWindow(base, server.pid);
  const measured = await run(url, noop, duration);
  return { measured, cpu: cpuPerOperation(window.stop(), measured.ok) };
}

interface Measured {
  accepted: number;
  /** 2xx responses. */
  ok: number;
  /** Transport errors, timeouts and 5xx: failures that are not a business answer. */
  systemErrors: number;
  rps: number;
  p50: number;
  p95: number;
  non2xx: number;
}

async function run(url: string, request: object, seconds: number, conns = connections): Promise<Measured> {
  const times: number[] = [];
  let accepted = 0;
  let ok = 0;
  let serverErrors = 0;
  const instance = autocannon({ url, connections: conns, duration: seconds, requests: [request] });
  instance.on('response', (_c, status, _b, ms) => {
    times.push(ms);
    if (status === 202) accepted += 1;
    if (status >= 200 && status < 300) ok += 1;
    if (status >= 500) serverErrors += 1;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    accepted, ok, systemErrors: serverErrors + result.errors + result.timeouts,
    rps: result.requests.total / seconds, p50: at(0.5), p95: at(0.95), non2xx: result.non2xx + result.errors,
  };
}

/**
 * A coupon of `backlog` and that many accepted requests, as the API would have left them:
 * reservations in Redis, messages in the topic (3 partitions, keyed by user).
 */
async function queueBacklog(): Promise<void> {
  const [res] = await admin.query<mysql.ResultSetHeader>(
    `INSERT INTO ${database}.coupons (name, total) VALUES ('backlog', ?)`,
    [backlog],
  );
  const couponId = res.insertId;
  const backlogUsers = Array.from({ length: backlog }, (_, i) => i + 1);
  const redis = new Redis(base.redis.url);
  const k = couponKeys(keyPrefix, couponId);
  for (let i = 0; i < backlogUsers.length; i += 10_000) await redis.sadd(k.issued, ...backlogUsers.slice(i, i + 10_000));
  await redis.set(k.stock, '0');
  await redis.quit();
  const kafka = new Kafka({ brokers: [...base.kafka.brokers], logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const topic = couponIssueTopic(topicPrefix);
  await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: BACKLOG_PARTITIONS }], waitForLeaders: true });
  await kafkaAdmin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const requestedAt = new Date().toISOString();
  // Packed as the server packs them: the requests of one produce, one message per partition.
  for (let i = 0; i < backlogUsers.length; i += 2000) {
    const requests = backlogUsers.slice(i, i + 2000).map((userId) => ({ requestId: randomUUID(), couponId, userId, requestedAt }));
    await producer.send({ topic, acks: -1, messages: encodeIssueRequests(requests, BACKLOG_PARTITIONS) });
  }
  await producer.disconnect();
}

/** Messages/s from the first applied one to the last, polled on /health. */
async function measureDrain(url: string): Promise<number> {
  let first: { at: number; issued: number } | undefined;
  await waitUntil(async () => {
    const issued = await issuedSoFar(url);
    if (!first && issued > 0) first = { at: Date.now(), issued };
    return issued >= backlog;
  }, 300_000);
  const seconds = (Date.now() - (first?.at ?? Date.now())) / 1000;
  return (backlog - (first?.issued ?? 0)) / Math.max(seconds, 0.001);
}

async function issuedSoFar(url: string): Promise<number> {
  const health = (await (await fetch(`${url}/health`)).json()) as { consumer: { issued: number } };
  return health.consumer.issued;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the consumer did not catch up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
