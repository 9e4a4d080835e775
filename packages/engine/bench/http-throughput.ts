/**
 * Benchmark (not a test): the engine's HTTP throughput and CPU per request against autocannon
 * and wrk at the same connection count, on a trivial endpoint served by a separate Node process.
 *
 *   npx tsx packages/engine/bench/http-throughput.ts [--connections 50] [--duration 5] [--rounds 8] [--rss]
 *
 * This machine's throughput drifts by a factor of up to 1.5 from one minute to the next (a shared
 * VM), so the tools take turns over several rounds and every ratio is taken within a round; the
 * report gives each round and the median. wrk, autocannon and the engine run in each of their six
 * orders in turn, so no tool always runs first, last or after the same neighbour.
 *
 * The engine runs twice: with its own HTTP/1.1 client (the default for http: URLs) and with
 * undici (`httpClient: 'undici'`, what it uses for https:), to show what the own client buys.
 * Two more runs split the engine's CPU: a bare Node socket loop that writes each request at once
 * (the floor for a Node load generator that does not batch its writes, as the engine does) and the
 * engine's HTTP client alone, without VUs, iterations or metrics.
 * --rss adds a run of 1,000,000 requests through the engine, in a fresh process so the peak RSS
 * it reports is the engine's alone. Every run also reports the engine's own bookkeeping per
 * iteration (VU loop, request preparation, metrics, Response) with the HTTP client stubbed out,
 * in a fresh process, to tell the engine's cost from the client's and the kernel's.
 * CPU is user+system time of the load generator only (the engine and autocannon run in this
 * process; wrk's comes from /usr/bin/time). The engine's is counted while its test runs, as
 * autocannon's and wrk's are: its VUs' initialization (the script evaluated once per VU, about
 * 0.2 s of CPU for 50 VUs) happens before, once per test, whatever its length.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { run } from '../src/index.ts';
import { VuHttpClient } from '../src/http/vu-http-client.ts';
import type { Exchange } from '../src/http/exchange.ts';
import { prepareRequest } from '../src/modules/request-params.ts';
import type { HttpConfig } from '../src/modules/http-config.ts';
import { answerEveryRequestAtOnce } from './canned-responses.ts';

interface Measure {
  tool: string;
  reqs: number;
  seconds: number;
  cpuMs: number;
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CONNECTIONS = flag('connections', 50);
const DURATION = flag('duration', 5);
const ROUNDS = flag('rounds', 8);
const WITH_RSS = args.includes('--rss');
const RSS_ONLY = args.indexOf('--rss-only');
const OVERHEAD_ONLY = args.includes('--overhead-only');

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }); res.end('ok'); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function engineScript(url: string, options: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const path = join(dir, 'bench.js');
  writeFileSync(path, `import http from 'k6/http';\nexport const options = ${options};\nexport default async function () { await http.asyncRequest('GET', '${url}'); }\n`);
  return path;
}

/** The hot paths take seconds of traffic to be optimized by V8; a load test runs longer than
 * that, so the engine is measured warm, as autocannon is after the server warm-up. */
async function warmUpEngine(url: string, httpClient: 'http1' | 'undici'): Promise<void> {
  await run({ script: engineScript(url, `{ vus: ${CONNECTIONS}, duration: '3s' }`), httpClient });
}

async function benchEngine(url: string, httpClient: 'http1' | 'undici'): Promise<Measure> {
  const script = engineScript(url, `{ vus: ${CONNECTIONS}, duration: '${DURATION}s' }`);
  let cpu = process.cpuUsage();
  let cpuMs = 0;
  const r = await run({
    script,
    httpClient,
    onProgress: (e) => {
      if (e.type !== 'phase') return;
      if (e.phase === 'running') cpu = process.cpuUsage();
      else if (e.phase === 'teardown') cpuMs = cpuMsSince(cpu);
    },
  });
  const m = r.summary?.metrics;
  if (r.exitCode !== 0 || !m) throw new Error(`engine run failed: ${r.exitCode} ${r.error ?? ''}`);
  if ((m.http_req_failed?.values.rate ?? 1) > 0) throw new Error('engine saw failed requests');
  return { tool: httpClient === 'http1' ? 'engine' : 'engine/undici', reqs: m.http_reqs?.values.count ?? 0, seconds: (r.summary?.state.testRunDurationMs ?? 1) / 1000, cpuMs };
}

/** `loop` on CONNECTIONS concurrent workers for DURATION seconds, measured like the tools. */
async function loopFor(tool: string, loop: (until: number, done: () => void) => Promise<void>): Promise<Measure> {
  let reqs = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + DURATION * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(until, () => reqs++)));
  return { tool, reqs, seconds: (performance.now() - started) / 1000, cpuMs: cpuMsSince(cpu) };
}

/** The floor for a Node load generator: one socket per connection, a fixed request written, the
 * reply awaited (the server's replies are small enough to arrive in one read), nothing parsed. */
function benchSocketFloor(url: string): Promise<Measure> {
  const { hostname, port, host } = new URL(url);
  const request = `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
  return loopFor('node socket', async (until, done) => {
    const socket = await new Promise<Socket>((resolve) => {
      const s = connect({ host: hostname, port: Number(port), noDelay: true }, () => resolve(s));
    });
    let reply: (() => void) | undefined;
    socket.on('data', () => reply?.());
    while (performance.now() < until) {
      await new Promise<void>((resolve) => {
        reply = resolve;
        socket.write(request, 'latin1');
      });
      done();
    }
    socket.destroy();
  });
}

/** The engine's HTTP/1.1 client alone: request preparation, dispatch, timings and body, without
 * VUs, iterations or metrics. */
function benchEngineClient(url: string): Promise<Measure> {
  const config: HttpConfig = {
    client: 'http1',
    userAgent: 'perf-lab-engine-bench',
    maxRedirects: 10,
    insecureSkipTLSVerify: false,
    noConnectionReuse: false,
    noVUConnectionReuse: false,
    discardResponseBodies: false,
    throwOnError: false,
  };
  return loopFor('engine client', async (until, done) => {
    const client = new VuHttpClient(config);
    while (performance.now() < until) {
      const ex = await new Promise<Exchange>((resolve) => client.dispatch(prepareRequest('GET', url, null, undefined, config), { exchangeDone: resolve }));
      if (ex.error) throw ex.error;
      ex.timings();
      ex.body().toString();
      done();
    }
    await client.close();
  });
}

async function benchAutocannon(url: string, seconds = DURATION): Promise<Measure> {
  type Result = { requests: { total: number }; duration: number; errors: number; non2xx: number };
  const autocannon = createRequire(import.meta.url)('autocannon') as (o: object) => Promise<Result>;
  const cpu = process.cpuUsage();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return { tool: 'autocannon', reqs: r.requests.total, seconds: r.duration, cpuMs: cpuMsSince(cpu) };
}

function benchWrk(url: string): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, url], { encoding: 'utf8' });
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout);
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (!total || !cpu) throw new Error(`could not parse wrk output:\n${r.stdout}\n${r.stderr}`);
  const seconds = Number(total[2]) / (total[3] === 'ms' ? 1000 : 1);
  return { tool: 'wrk', reqs: Number(total[1]), seconds, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 };
}

async function rssAfterMillion(url: string): Promise<{ reqs: number; seconds: number; maxRssMb: number }> {
  const script = engineScript(url, `{ scenarios: { million: { executor: 'shared-iterations', vus: ${CONNECTIONS}, iterations: 1000000, maxDuration: '10m' } } }`);
  const started = performance.now();
  const r = await run({ script });
  const reqs = r.summary?.metrics.http_reqs?.values.count ?? 0;
  // maxRSS is the process's peak resident set (kB), sampled by the kernel: no polling gaps.
  return { reqs, seconds: (performance.now() - started) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** The engine with its HTTP/1.1 client answering at once from a canned response. */
async function engineOverhead(): Promise<{ iterations: number; cpuUsPerIteration: number }> {
  answerEveryRequestAtOnce();
  const script = engineScript('http://127.0.0.1:9/', `{ vus: ${CONNECTIONS}, duration: '3s' }`);
  await run({ script }); // warm-up
  const cpu = process.cpuUsage();
  const r = await run({ script });
  const iterations = r.summary?.metrics.iterations?.values.count ?? 0;
  return { iterations, cpuUsPerIteration: (cpuMsSince(cpu) * 1000) / iterations };
}

function inFreshProcess<T>(flag: string, extra: string[] = []): T {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), flag, ...extra, '--connections', String(CONNECTIONS)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${flag} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

/** The six orders of wrk (0), autocannon (1) and the engine (2), one per round in turn. */
const ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 2, 0],
  [0, 2, 1],
  [2, 0, 1],
  [1, 0, 2],
];

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const rps = (m: Measure): number => m.reqs / m.seconds;
const cpuPerReq = (m: Measure): number => (m.cpuMs * 1000) / m.reqs;
const pct = (x: number): string => `${fmt(x * 100, 1)} %`;

async function main(): Promise<void> {
  const server = await startServer();
  try {
    process.stdout.write(`trivial endpoint ${server.url} (separate node process), ${CONNECTIONS} connections, ${DURATION}s per tool, ${ROUNDS} rounds\n`);
    await benchAutocannon(server.url, 2); // warm the server's JIT so no tool pays for it
    const rounds: Measure[][] = [];
    process.stdout.write('\nround  tool            req/s      requests   CPU ms   CPU µs/req\n');
    await warmUpEngine(server.url, 'http1');
    await warmUpEngine(server.url, 'undici');
    const compared: Array<() => Promise<Measure>> = [
      async () => benchWrk(server.url),
      () => benchAutocannon(server.url),
      () => benchEngine(server.url, 'http1'),
    ];
    for (let r = 0; r < ROUNDS; r++) {
      const measured = new Map<number, Measure>();
      for (const i of ORDERS[r % ORDERS.length] as number[]) measured.set(i, await (compared[i] as () => Promise<Measure>)());
      const round = [
        ...compared.map((_, i) => measured.get(i) as Measure),
        await benchEngine(server.url, 'undici'),
        await benchSocketFloor(server.url),
        await benchEngineClient(server.url),
      ];
      rounds.push(round);
      for (const m of round) {
        process.stdout.write(`${String(r + 1).padStart(5)}  ${m.tool.padEnd(13)} ${fmt(rps(m)).padStart(8)} ${fmt(m.reqs).padStart(12)} ${fmt(m.cpuMs).padStart(8)} ${fmt(cpuPerReq(m), 1).padStart(10)}\n`);
      }
    }
    const ratio = (i: number, j: number): number[] => rounds.map((round) => rps(round[i] as Measure) / rps(round[j] as Measure));
    const line = (label: string, xs: number[], goal: string): string =>
      `${label.padEnd(26)} ${xs.map(pct).join('  ').padEnd(50)} median ${pct(median(xs))}${goal}\n`;
    process.stdout.write('\nratios per round\n');
    process.stdout.write(line('engine / wrk', ratio(2, 0), ' (goal >= 70 %)'));
    const vsAutocannon = ratio(2, 1);
    process.stdout.write(line('engine / autocannon', vsAutocannon, ` (goal >= 100 %; ahead in ${vsAutocannon.filter((x) => x >= 1).length} of ${ROUNDS} rounds)`));
    process.stdout.write(line('engine on undici / wrk', ratio(3, 0), ''));
    process.stdout.write(line('engine on undici / autoc.', ratio(3, 1), ''));
    const cpu = (i: number): string => fmt(median(rounds.map((round) => cpuPerReq(round[i] as Measure))), 1);
    process.stdout.write(`\nmedian CPU µs/req: wrk ${cpu(0)}, autocannon ${cpu(1)}, engine ${cpu(2)}, engine on undici ${cpu(3)}\n`);
    process.stdout.write(`where the engine's CPU goes: node socket floor ${cpu(4)}, + its HTTP/1.1 client ${cpu(5)}, + VUs, iterations and metrics ${cpu(2)}\n`);
    const over = inFreshProcess<Awaited<ReturnType<typeof engineOverhead>>>('--overhead-only');
    process.stdout.write(`engine bookkeeping with the HTTP client stubbed: ${fmt(over.cpuUsPerIteration, 1)} µs CPU per iteration (${fmt(over.iterations)} iterations)\n`);
    if (WITH_RSS) {
      const rss = inFreshProcess<Awaited<ReturnType<typeof rssAfterMillion>>>('--rss-only', [server.url]);
      process.stdout.write(`\n1M requests: ${fmt(rss.reqs)} in ${fmt(rss.seconds, 1)}s (${fmt(rss.reqs / rss.seconds)} req/s), peak RSS ${fmt(rss.maxRssMb, 1)} MB (goal < 200 MB)\n`);
    }
  } finally {
    server.stop();
  }
}

if (RSS_ONLY >= 0) process.stdout.write(JSON.stringify(await rssAfterMillion(args[RSS_ONLY + 1] ?? '')));
else if (OVERHEAD_ONLY) process.stdout.write(JSON.stringify(await engineOverhead()));
else await main();
