/**
 * Benchmark (not a test): `npm run bench:faults [-- <filter>...]`. The fault matrix of issue 14:
 * {kill -9 server, redis, kafka, mysql; pause kafka 10 s} × {coupon, order}, each a short
 * `perf-lab lab` job (lab up → reference server → seed → load with the fault → audit) on the
 * lab the environment points at. Prints one row per cell: what the audit found and how long
 * after the fault ended the server served again. Filters keep cells whose name contains any
 * of them, e.g. `-- kill-redis order` (a bounded CI subset).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { errorMessage, fullRun, parseFaults, resolveConfig, type AuditReport, type FaultRecord, type PerfLabConfig, type RunResults } from '../src/index.ts';

const FAULTS = ['kill-server@8s:2s', 'kill-redis@8s:2s', 'kill-kafka@8s:2s', 'kill-mysql@8s:2s', 'pause-kafka@8s:10s'] as const;
const SCENARIOS = ['coupon', 'order'] as const;
/** Long enough for the fault, its undo and some load after it; short enough for ten cells. */
const LOAD = { duration: '30s', vus: 20 } as const;
const SEED = { users: 20_000, couponStock: 3_000, productStock: 2_000 } as const;

interface Row {
  readonly cell: string;
  readonly requests: number | string;
  readonly acknowledged: number | string;
  readonly systemErrors: number | string;
  readonly lost: number | string;
  readonly duplicates: number | string;
  readonly overIssue: number | string;
  readonly negativeStock: number | string;
  readonly balanceDrift: number | string;
  readonly stranded: number | string;
  readonly verdict: string;
  readonly servesAgainS: string;
  readonly fault: string;
  readonly violated: string;
}

const filters = process.argv.slice(2);
// Server kills last: today a server restarted after kill -9 waits for its dead consumer-group
// member to expire, and so would the next cell's fresh server (issue 14 §A.4).
const cells = [...FAULTS.filter((f) => !f.startsWith('kill-server')), ...FAULTS.filter((f) => f.startsWith('kill-server'))]
  .flatMap((fault) => SCENARIOS.map((scenario) => ({ scenario, fault, name: `${fault.split('@')[0]} × ${scenario}` })))
  .filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
const config = await resolveConfig();
const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-fault-matrix-'));
const rows: Row[] = [];

for (const cell of cells) {
  await groupSettled(config, 120_000);
  const started = performance.now();
  process.stderr.write(`\n=== ${cell.name} (${cell.fault}) ===\n`);
  try {
    const result = await fullRun(config, {
      scenario: cell.scenario, profile: 'load', overrides: LOAD, seedPlan: SEED, runsDir, drainTimeoutMs: 60_000,
      faults: parseFaults([cell.fault]), onProgress: (line) => process.stderr.write(`${line}\n`),
    });
    rows.push(row(cell.name, cell.scenario, result.run.results, result.audit, result.run.faults[0]));
  } catch (err) {
    const message = errorMessage(err).split('\n')[0] ?? '';
    rows.push({ cell: cell.name, requests: '—', acknowledged: '—', systemErrors: '—', lost: '—', duplicates: '—', overIssue: '—', negativeStock: '—', balanceDrift: '—', stranded: '—', verdict: 'error', servesAgainS: '—', fault: message.slice(0, 120), violated: '—' });
  }
  process.stderr.write(`--- ${cell.name}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

/**
 * Waits (bounded) until the server's consumer group has no members left, so a cell never starts
 * its server behind a member a previous cell's kill -9 left for the broker to time out.
 */
async function groupSettled(cfg: PerfLabConfig, limitMs: number): Promise<void> {
  const admin = new Kafka({ clientId: 'perf-lab-fault-matrix', brokers: [...cfg.kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  const until = Date.now() + limitMs;
  try {
    await admin.connect();
    for (;;) {
      const { groups } = await admin.describeGroups([cfg.kafka.consumerGroup]);
      if ((groups[0]?.members.length ?? 0) === 0 || Date.now() > until) return;
      process.stderr.write(`waiting for ${groups[0]?.members.length} stale member(s) of ${cfg.kafka.consumerGroup} to expire\n`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  } catch (err) {
    process.stderr.write(`could not read consumer group ${cfg.kafka.consumerGroup}: ${errorMessage(err)}\n`);
  } finally {
    await admin.disconnect();
  }
}

function row(cell: string, scenario: string, results: RunResults, report: AuditReport, fault: FaultRecord | undefined): Row {
  const violations = (...names: string[]): number | string => {
    // Each cell loads one system; the other system's invariants hold trivially and are not shown.
    const found = report.invariants.filter((i) => names.includes(i.name) && !i.skipped && i.name.startsWith(`${scenario}.`));
    return found.length === 0 ? '—' : found.reduce((sum, i) => sum + i.violations, 0);
  };
  const back = fault?.serverBackMs != null && fault.endMs != null ? ((fault.serverBackMs - fault.endMs) / 1000).toFixed(1) : 'never';
  return {
    cell, requests: results.requests, acknowledged: results.successes, systemErrors: results.systemErrors,
    lost: violations('coupon.acknowledged-persisted', 'order.acknowledged-persisted'),
    duplicates: violations('coupon.no-duplicate-issuance', 'order.ledger-transaction-unique', 'order.coupon-used-once'),
    overIssue: violations('coupon.no-over-issue'),
    negativeStock: violations('order.no-negative-stock'),
    balanceDrift: violations('order.balance-drift'),
    // A reservation stranded by a crash: a user in the Redis dedupe set (stock taken) with no coupon in the database.
    stranded: violations('coupon.redis-set-matches-db', 'coupon.redis-stock-matches-db'),
    verdict: report.verdict,
    servesAgainS: back,
    violated: report.invariants.filter((i) => !i.ok).map((i) => `${i.name} (${i.violations})`).join(', ') || '—',
    fault: fault ? `${fault.outcome}${fault.error ? `: ${fault.error.split('\n')[0]?.slice(0, 80)}` : ''}` : 'none',
  };
}

const header = ['cell', 'requests', 'acknowledged', 'system errors', 'ack. lost', 'duplicates', 'over-issue', 'negative stock', 'balance drift', 'stranded', 'audit', 'serves again after (s)', 'fault', 'violated invariants'];
const lines = rows.map((r) => [r.cell, r.requests, r.acknowledged, r.systemErrors, r.lost, r.duplicates, r.overIssue, r.negativeStock, r.balanceDrift, r.stranded, r.verdict, r.servesAgainS, r.fault, r.violated].map(String));
console.log([header, header.map(() => '---'), ...lines].map((cols) => `| ${cols.join(' | ')} |`).join('\n'));
console.log(`\nrun folders (reports, run.json with fault times, audit.json): ${runsDir}`);
process.exitCode = rows.every((r) => r.verdict === 'ok' && r.servesAgainS !== 'never' && Number(r.servesAgainS) <= 10) ? 0 : 1;
