/**
 * Benchmark (not a test): `npm run bench:audit-sweep`. The audit's false-positive sweep of
 * issue 16: every coupon strategy that claims correctness × every order lock scope, on a server
 * `perf-lab serve --set …` started, every scenario run in turn on one seed (profiles rotating)
 * and audited after each run, then fault runs (server killed, broker paused) — all through the
 * real `perf-lab` binary against the lab the environment points at (its database is reseeded).
 * Prints one row per run; exits 1 when any verdict is not ok or a fault did not happen.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage, labEnvironment, labUp, resolveConfig } from '@perf-lab/core';
import { cellName, runSweepCell, type SweepRow } from './audit-sweep-cell.ts';
import { sweepPlan } from './audit-sweep-plan.ts';

const config = await resolveConfig();
await labUp(config);
const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-audit-sweep-'));
const ctx = { env: labEnvironment(config), targetUrl: config.targetUrl, runsDir, onProgress: (line: string) => process.stderr.write(`${line}\n`) };
const started = performance.now();
const rows: SweepRow[] = [];
for (const cell of sweepPlan()) {
  try {
    rows.push(...(await runSweepCell(cell, ctx)));
  } catch (err) {
    rows.push({ cell: cellName(cell), runOnSeed: 0, step: 'serve + seed', requests: 0, accepted: 0, verdict: 'error', fault: '—', detail: errorMessage(err).split('\n')[0] ?? '', seconds: 0 });
  }
}

const faultOk = (r: SweepRow) => r.fault === '—' || r.fault === 'recovered';
const header = ['server (serve --set)', 'run on seed', 'scenario/profile', 'requests', 'accepted', 'audit', 'fault', 'not ok', 's'];
const lines = rows.map((r) => [r.cell, String(r.runOnSeed), r.step, String(r.requests), String(r.accepted), r.verdict, r.fault, r.detail || '—', r.seconds.toFixed(1)]);
console.log([header, header.map(() => '---'), ...lines].map((cols) => `| ${cols.join(' | ')} |`).join('\n'));
const bad = rows.filter((r) => r.verdict !== 'ok' || !faultOk(r));
console.log(`\n${rows.length} audited runs in ${((performance.now() - started) / 1000).toFixed(0)} s: ${rows.length - bad.length} ok, ${bad.length} not ok`);
console.log(`run folders (run.json, operations.log, audit.json): ${runsDir}`);
process.exitCode = bad.length === 0 ? 0 : 1;
