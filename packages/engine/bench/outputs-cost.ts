/**
 * Benchmark (not a test): what the per-sample outputs cost. The same test — 20 VUs, a trivial
 * endpoint in a separate Node process — runs without an output and with `--out json`, `csv`
 * and `json-aggregate`, taking turns over several rounds (this machine's throughput drifts);
 * the report gives CPU per request (this process: VUs, metrics and the output) and req/s.
 *
 *   npx tsx packages/engine/bench/outputs-cost.ts [--rounds 3] [--duration 4]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/index.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 3);
const DURATION = arg('--duration', 4);
const KINDS = ['none', 'json', 'csv', 'json-aggregate'] as const;

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }); res.end('ok'); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
const dir = mkdtempSync(join(tmpdir(), 'engine-outputs-bench-'));
const script = join(dir, 'bench.js');
writeFileSync(script, `import http from 'k6/http';\nexport const options = { vus: 20, duration: '${DURATION}s' };\nexport default function () { http.get('http://127.0.0.1:${port}/'); }\n`);

const results = new Map<string, Array<{ cpuUsPerReq: number; rps: number; bytesPerReq: number }>>();
try {
  await run({ script, options: { duration: '2s' } }); // warm-up: V8 optimizes the hot paths
  console.log(`20 VUs, ${DURATION}s per run, ${ROUNDS} rounds\n\nround  output            req/s   CPU µs/req   file bytes/req`);
  for (let r = 0; r < ROUNDS; r++) {
    const order = [...KINDS.slice(r % KINDS.length), ...KINDS.slice(0, r % KINDS.length)];
    for (const kind of order) {
      const file = join(dir, `${kind}-${r}.out`);
      const cpu = process.cpuUsage();
      const res = await run({ script, out: kind === 'none' ? [] : [`${kind}=${file}`] });
      const c = process.cpuUsage(cpu);
      const reqs = res.summary?.metrics.http_reqs?.values.count ?? 0;
      const m = { cpuUsPerReq: (c.user + c.system) / reqs, rps: res.summary?.metrics.http_reqs?.values.rate ?? 0, bytesPerReq: kind === 'none' ? 0 : statSync(file).size / reqs };
      results.set(kind, [...(results.get(kind) ?? []), m]);
      console.log(`${String(r + 1).padStart(5)}  ${kind.padEnd(15)} ${m.rps.toFixed(0).padStart(7)}   ${m.cpuUsPerReq.toFixed(1).padStart(10)}   ${m.bytesPerReq.toFixed(0).padStart(14)}`);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  console.log('\nmedians');
  for (const kind of KINDS) {
    const rs = results.get(kind) ?? [];
    console.log(`${kind.padEnd(15)} ${median(rs.map((x) => x.rps)).toFixed(0).padStart(7)} req/s   ${median(rs.map((x) => x.cpuUsPerReq)).toFixed(1)} CPU µs/req`);
  }
} finally {
  child.kill();
}
