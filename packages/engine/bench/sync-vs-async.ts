/**
 * The same k6 script written two ways — k6's synchronous style (`http.get`, run through the
 * load-time transform) and the async style (`await http.asyncRequest`) — taking turns in one run
 * against a trivial server in another process: requests per second and the engine's CPU per
 * request for each, and their ratio per round; then, in a fresh process, the engine's own CPU per
 * iteration in both styles with the network replaced by canned responses; then 500 VUs of a
 * synchronous script (groups, checks, sleep) in a fresh process, for its peak RSS.
 *
 *   npm run bench:sync -- [--vus 50] [--duration 5] [--rounds 6] [--memory-vus 500]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../src/index.ts';
import { answerEveryRequestAtOnce } from './canned-responses.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const VUS = flag('vus', 50);
const DURATION = flag('duration', 5);
const ROUNDS = flag('rounds', 6);
const MEMORY_VUS = flag('memory-vus', 500);

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }); res.end('{"ok":true}'); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

const STYLES = {
  sync: (url: string) => `import http from 'k6/http';\nexport default function () { http.get('${url}'); }\n`,
  async: (url: string) => `import http from 'k6/http';\nexport default async function () { await http.asyncRequest('GET', '${url}'); }\n`,
} as const;
type Style = keyof typeof STYLES;

const MEMORY_SCRIPT = (url: string, vus: number): string => `import http from 'k6/http';
import { check, group, sleep } from 'k6';
export const options = { vus: ${vus}, duration: '10s' };
function product(id) {
  const res = http.get('${url}products/' + id, { tags: { name: 'product' } });
  check(res, { 'status 200': (r) => r.status === 200 });
  return res.json();
}
export default function () {
  group('browse', () => {
    for (let i = 0; i < 3; i++) product(i);
  });
  sleep(0.5);
}
`;

function scriptFile(source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'engine-bench-sync-')), 'script.js');
  writeFileSync(path, source);
  return path;
}

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

interface Measure {
  reqs: number;
  seconds: number;
  cpuMs: number;
}

async function measure(script: string, seconds: number): Promise<Measure> {
  let cpu = process.cpuUsage();
  let cpuMs = 0;
  const r = await run({
    script,
    options: { vus: VUS, duration: `${seconds}s` },
    onProgress: (e) => {
      if (e.type !== 'phase') return;
      if (e.phase === 'running') cpu = process.cpuUsage();
      else if (e.phase === 'teardown') {
        const d = process.cpuUsage(cpu);
        cpuMs = (d.user + d.system) / 1000;
      }
    },
  });
  const m = r.summary?.metrics;
  if (r.exitCode !== 0 || !m) throw new Error(`run failed: ${r.exitCode} ${r.error ?? ''}`);
  if ((m.http_req_failed?.values.rate ?? 1) > 0) throw new Error('failed requests');
  return { reqs: m.http_reqs?.values.count ?? 0, seconds: (r.summary?.state.testRunDurationMs ?? 1) / 1000, cpuMs };
}

/** Both styles with the network replaced by canned responses, in alternating rounds: the
 * engine's own CPU per iteration, which the machine's drift disturbs far less than req/s. */
async function overhead(): Promise<void> {
  answerEveryRequestAtOnce();
  const url = 'http://127.0.0.1:9/';
  const scripts: Record<Style, string> = { sync: scriptFile(STYLES.sync(url)), async: scriptFile(STYLES.async(url)) };
  const perIteration = async (style: Style): Promise<number> => {
    const cpu = process.cpuUsage();
    const r = await run({ script: scripts[style], options: { vus: VUS, duration: '2s' } });
    const d = process.cpuUsage(cpu);
    return (d.user + d.system) / (r.summary?.metrics.iterations?.values.count ?? 1);
  };
  for (const style of ['sync', 'async'] as const) await perIteration(style); // V8 warm-up
  const us: Record<Style, number[]> = { sync: [], async: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const style of round % 2 ? (['async', 'sync'] as const) : (['sync', 'async'] as const)) us[style].push(await perIteration(style));
  }
  process.stdout.write(JSON.stringify(us));
}

async function memory(): Promise<void> {
  const server = await startServer();
  try {
    const r = await run({ script: scriptFile(MEMORY_SCRIPT(server.url, MEMORY_VUS)) });
    const m = r.summary?.metrics;
    const out = { exitCode: r.exitCode, vus: m?.vus_max?.values.value, reqs: m?.http_reqs?.values.count, failed: m?.http_req_failed?.values.passes, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(JSON.stringify(out));
  } finally {
    server.stop();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  if (args.includes('--memory-only')) return memory();
  if (args.includes('--overhead-only')) return overhead();
  const server = await startServer();
  const scripts: Record<Style, string> = { sync: scriptFile(STYLES.sync(server.url)), async: scriptFile(STYLES.async(server.url)) };
  try {
    for (const style of ['sync', 'async'] as const) await measure(scripts[style], 3); // V8 warm-up
    const ratios: number[] = [];
    const cpu: Record<Style, number[]> = { sync: [], async: [] };
    console.log(`${VUS} VUs, ${ROUNDS} rounds of ${DURATION} s each style (ABBA order)`);
    console.log('round | sync req/s | async req/s | sync/async | sync µs CPU/req | async µs CPU/req');
    for (let round = 1; round <= ROUNDS; round++) {
      const order: Style[] = round % 2 ? ['sync', 'async'] : ['async', 'sync'];
      const got = {} as Record<Style, Measure>;
      for (const style of order) got[style] = await measure(scripts[style], DURATION);
      const rps = (s: Style): number => got[s].reqs / got[s].seconds;
      const us = (s: Style): number => (got[s].cpuMs * 1000) / got[s].reqs;
      ratios.push(rps('sync') / rps('async'));
      cpu.sync.push(us('sync'));
      cpu.async.push(us('async'));
      console.log(`${round} | ${fmt(rps('sync'))} | ${fmt(rps('async'))} | ${fmt((rps('sync') / rps('async')) * 100, 1)} % | ${fmt(us('sync'), 1)} | ${fmt(us('async'), 1)}`);
    }
    console.log(`median sync/async throughput: ${fmt(median(ratios) * 100, 1)} % (range ${fmt(Math.min(...ratios) * 100, 1)}–${fmt(Math.max(...ratios) * 100, 1)} %); median CPU per request: sync ${fmt(median(cpu.sync), 1)} µs, async ${fmt(median(cpu.async), 1)} µs`);
  } finally {
    server.stop();
  }
  const over = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--overhead-only', '--rounds', String(ROUNDS), '--vus', String(VUS)], { encoding: 'utf8' });
  if (over.status !== 0) throw new Error(`overhead run failed: ${over.stderr}`);
  const us = JSON.parse(over.stdout) as Record<Style, number[]>;
  const pairs = us.sync.map((s, i) => s / (us.async[i] as number));
  console.log(`engine CPU per iteration, network replaced by canned responses (${ROUNDS} rounds of 2 s each): sync ${fmt(median(us.sync), 2)} µs, async ${fmt(median(us.async), 2)} µs; sync/async per round: median ${fmt(median(pairs) * 100, 1)} % (${pairs.map((p) => fmt(p * 100, 0)).join(', ')} %)`);
  if (MEMORY_VUS > 0) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--memory-only', '--memory-vus', String(MEMORY_VUS)], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory run failed: ${child.stderr}`);
    const m = JSON.parse(child.stdout) as { exitCode: number; vus: number; reqs: number; failed: number; maxRssMb: number };
    console.log(`${m.vus} VUs of a synchronous script (group, helper, check, sleep) for 10 s: ${fmt(m.reqs)} requests, ${m.failed} failed, exit ${m.exitCode}, peak RSS ${fmt(m.maxRssMb, 1)} MB (bound: 1024 MB)`);
  }
}

await main();
