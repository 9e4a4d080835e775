/**
 * Benchmark (not a test): the seed's "global lock → per-user lock, 10.8×" claim, measured.
 *
 *   npx tsx reference-server/bench/order-lock-scope.ts [--duration=10] [--connections=64] [--users=5000] [--phases=user,global,none,raw] [--cpu-prof=dir]
 *
 * In one run: orders/s and p95 over HTTP with REF_LOCK_SCOPE=user, then =global, then =none (a fresh
 * server process each, autocannon here, many distinct users), then the very same order
 * transaction straight through a mysql2 pool — no HTTP, no lock — as the ceiling. The server
 * runs in a child process so the load generator does not share its event loop. Pool size is
 * REF_MYSQL_POOL (default 10, the seed's AS-IS). Uses a private database and key prefix and
 * drops/deletes them afterwards; the outbox relay is not running (events stay pending).
 * Each phase also prints the CPU each process used per order placed (server, MariaDB, Redis,
 * this process — in the raw phase the transaction code itself).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import mysql from 'mysql2/promise';
import { createMysqlPool } from '../src/db/mysql-pool.ts';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/migrate.ts';
import type { LockScope } from '../src/config.ts';
import { withTransaction } from '../src/db/transaction.ts';
import { orderFeature } from '../src/order/order-feature.ts';
import { runOrderTransaction } from '../src/order/order-transaction.ts';
import { mysqlPlugin } from '../src/plugins/mysql.ts';
import { redisPlugin } from '../src/plugins/redis.ts';
import { cpuPerOperation, cpuText, type CpuReport } from '@perf-lab/process-cpu';
import { startBenchCpuWindow } from './bench-cpu.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const DURATION_S = Number(args.duration ?? 10);
const CONNECTIONS = Number(args.connections ?? 64);
const USERS = Number(args.users ?? 5000);
const PRODUCTS = 200;
const PHASE_NAMES = ['user', 'global', 'none', 'raw'] as const;
type PhaseName = (typeof PHASE_NAMES)[number];
const PHASES = String(args.phases ?? PHASE_NAMES.join(',')).split(',').map((name): PhaseName => {
  if (!(PHASE_NAMES as readonly string[]).includes(name)) throw new Error(`--phases: unknown phase "${name}" (one of ${PHASE_NAMES.join(', ')})`);
  return name as PhaseName;
});
// A folder for each HTTP phase's server V8 CPU profile (node --cpu-prof), written when it exits.
const PROFILE = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
const RAW_PHASE = 'raw pool (no http, no lock)';
const phaseName = (name: PhaseName | string): string => (name === 'raw' ? RAW_PHASE : `http ${name}`);

interface Phase {
  readonly name: string;
  readonly ok: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p95: number;
  readonly p50: number;
  readonly cpu: CpuReport;
}

/** Child mode: one server with the given lock scope; prints its port, closes gracefully on SIGTERM. */
async function serve(dbUrl: string, prefix: string, scope: LockScope): Promise<void> {
  // No relay: the bench measures order placement, its events stay pending.
  const config = loadConfig({
    mysqlUrl: dbUrl,
    redisKeyPrefix: prefix,
    logLevel: 'silent',
    migrateOnStart: false,
    lockScope: scope,
    outboxRelay: false,
  });
  const app = Fastify({ logger: false });
  app.decorate('config', config);
  await app.register(mysqlPlugin);
  await app.register(redisPlugin);
  await app.register(orderFeature);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${address}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function pickProduct(i: number): number {
  return 1 + (i % PRODUCTS);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function httpPhase(dbUrl: string, prefix: string, scope: LockScope): Promise<Phase> {
  const child: ChildProcess = spawn(process.execPath, [...PROFILE, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dbUrl, prefix, scope], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = line.toString().trim();
  // Typed locally: autocannon ships no types and this is its only user.
  const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
  let n = Math.floor(Math.random() * USERS);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const run = (seconds: number, record: boolean) => {
    const instance = autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/orders',
          headers: { 'content-type': 'application/json' },
          // A different user on every request: the seed's "many users ordering at once".
          setupRequest: (req: Record<string, unknown>) => {
            n += 1;
            return { ...req, body: JSON.stringify({ userId: 1 + (n % USERS), items: [{ productId: pickProduct(n), quantity: 1 }] }) };
          },
        },
      ],
    });
    if (record) {
      instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
        if (status === 201) {
          ok += 1;
          latencies.push(ms);
        } else failed += 1;
      });
    }
    return instance;
  };
  await run(2, false); // warm-up: JIT, pool connections, prepared caches
  // No relay in this server: Kafka does no work for an order here, so it is left out.
  const cpuWindow = startBenchCpuWindow(loadConfig({ logLevel: 'silent' }), child.pid, ['mysql', 'redis']);
  const started = Date.now();
  await run(DURATION_S, true);
  const elapsed = (Date.now() - started) / 1000;
  const cpu = cpuPerOperation(cpuWindow.stop(), ok);
  child.kill('SIGTERM');
  await once(child, 'exit');
  latencies.sort((a, b) => a - b);
  return { name: phaseName(scope), ok, failed, perSecond: ok / elapsed, p95: percentile(latencies, 95), p50: percentile(latencies, 50), cpu };
}

/** The same transaction, straight through a pool of the same size, as many workers as connections. */
async function rawPhase(dbUrl: string, poolSize: number): Promise<Phase> {
  const pool = createMysqlPool(dbUrl, poolSize);
  let n = 0;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const worker = async (until: number, record: boolean): Promise<void> => {
    while (Date.now() < until) {
      n += 1;
      const req = { userId: 1 + (n % USERS), items: [{ productId: pickProduct(n), quantity: 1 }], couponId: null, idempotencyKey: null };
      const t0 = performance.now();
      try {
        await withTransaction(pool, (tx) => runOrderTransaction(tx, req, null), { retries: 2 });
        if (record) {
          ok += 1;
          latencies.push(performance.now() - t0);
        }
      } catch {
        if (record) failed += 1;
      }
    }
  };
  const workers = (seconds: number, record: boolean) =>
    Promise.all(Array.from({ length: poolSize }, () => worker(Date.now() + seconds * 1000, record)));
  await workers(2, false);
  const cpuWindow = startBenchCpuWindow(loadConfig({ logLevel: 'silent' }), undefined, ['mysql']);
  const started = Date.now();
  await workers(DURATION_S, true);
  const elapsed = (Date.now() - started) / 1000;
  const cpu = cpuPerOperation(cpuWindow.stop(), ok);
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { name: RAW_PHASE, ok, failed, perSecond: ok / elapsed, p95: percentile(latencies, 95), p50: percentile(latencies, 50), cpu };
}

async function main(): Promise<void> {
  const base = loadConfig({ logLevel: 'silent' });
  const name = `ref_order_bench_${randomBytes(4).toString('hex')}`;
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const admin = await mysql.createConnection(base.mysql.url);
  await admin.query(`CREATE DATABASE \`${name}\``);
  const url = new URL(base.mysql.url);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  try {
    const { error } = await migrate(dbUrl);
    if (error) throw error;
    const seed = await mysql.createConnection(dbUrl);
    const users = Array.from({ length: USERS }, (_, i) => [i + 1, 1_000_000_000_000]);
    await seed.query('INSERT INTO users (id, balance) VALUES ?', [users]);
    const products = Array.from({ length: PRODUCTS }, (_, i) => [i + 1, `bench-${i + 1}`, 100, 100_000_000]);
    await seed.query('INSERT INTO products (id, name, price, quantity) VALUES ?', [products]);
    await seed.end();

    process.stderr.write(`pool ${base.mysql.poolSize}, ${CONNECTIONS} connections, ${DURATION_S} s per phase, ${USERS} users\n`);
    // Phases run in the order given; a name repeated (user,none,user,none) alternates A/B, so
    // drift in a shared machine's load shows up instead of favouring whichever ran first.
    const phases: Phase[] = [];
    for (const name of PHASES) phases.push(name === 'raw' ? await rawPhase(dbUrl, base.mysql.poolSize) : await httpPhase(dbUrl, prefix, name));
    for (const p of phases) {
      process.stdout.write(
        `${p.name.padEnd(28)} ${p.perSecond.toFixed(1).padStart(8)} orders/s   p50 ${p.p50.toFixed(1).padStart(7)} ms   p95 ${p.p95.toFixed(1).padStart(7)} ms   ok ${p.ok}  failed ${p.failed}\n`,
      );
    }
    const median = (name: string): number | undefined => {
      const rates = phases.filter((p) => p.name === phaseName(name)).map((p) => p.perSecond).sort((a, b) => a - b);
      return rates.length === 0 ? undefined : rates[Math.floor((rates.length - 1) / 2)];
    };
    const [user, global, none, raw] = (['user', 'global', 'none', 'raw'] as const).map(median);
    if (user && global) {
      const scopeRatio = user / global;
      process.stdout.write(`user / global = ${scopeRatio.toFixed(1)}× (goal ≥ 10.8×)  ${scopeRatio >= 10.8 ? 'met' : 'NOT met'}\n`);
    }
    if (user && raw) {
      const httpShare = user / raw;
      process.stdout.write(`http user / raw = ${(httpShare * 100).toFixed(0)} % (goal ≥ 80 %)  ${httpShare >= 0.8 ? 'met' : 'NOT met'}\n`);
    }
    // In the raw phase this process is the order code itself: its "load generator" is the server's work without HTTP.
    if (none && raw) process.stdout.write(`http none / raw = ${((100 * none) / raw).toFixed(0)} % (HTTP without the Redis lock)\n`);
    if (user && none) process.stdout.write(`http user / none = ${((100 * user) / none).toFixed(0)} % (the Redis lock's cost)\n`);
    for (const p of phases) process.stdout.write(`\n${cpuText(p.cpu, p.name)}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
    const redis = new Redis(base.redis.url);
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  }
}

type Autocannon = (opts: Record<string, unknown>) => PromiseLike<unknown> & {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};

if (process.argv[2] === '--serve') {
  const [, , , dbUrl, prefix, scope] = process.argv;
  await serve(String(dbUrl), String(prefix), scope as LockScope);
} else {
  await main();
}
