/**
 * Runs one cell of the audit sweep the way a user would, through the real `perf-lab` binary:
 * `serve --set strategy=… --set lock=…` in the background, `seed`, then each step's `run` and
 * `audit --run`, one after another on that seed; the server is stopped with Ctrl-C (SIGINT).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../test/run-cli.ts';
import { SWEEP_SEED, type SweepCell, type SweepStep } from './audit-sweep-plan.ts';

const BIN = fileURLToPath(new URL('../bin/perf-lab.mjs', import.meta.url));

export interface SweepRow {
  readonly cell: string;
  /** 1 for the first run on the cell's seed, 2 for the next … */
  readonly runOnSeed: number;
  readonly step: string;
  /** Requests the run made, and how many the server accepted. */
  readonly requests: number;
  readonly accepted: number;
  /** The audit's verdict, or `error` when the run or the audit did not produce one. */
  readonly verdict: string;
  /** The fault's outcome (`recovered` when it happened and the target came back), or `—`. */
  readonly fault: string;
  /** What was not ok: invariants with their first example, the reasons for unknown, an error. */
  readonly detail: string;
  readonly seconds: number;
  readonly runDir?: string;
}

export interface SweepContext {
  /** The environment the CLI children run in (the lab's addresses). */
  readonly env: Record<string, string>;
  readonly targetUrl: string;
  readonly runsDir: string;
  readonly onProgress?: (line: string) => void;
}

interface AuditJson {
  verdict: string;
  reasons: string[];
  invariants: { name: string; status: string; violations: number; examples: string[] }[];
}

interface RunJson {
  runDir: string;
  requests: number;
  accepted: number;
  faults: { fault: string; outcome: string; error?: string }[];
}

export function cellName(cell: SweepCell): string {
  return `strategy=${cell.strategy} lock=${cell.lock}`;
}

export async function runSweepCell(cell: SweepCell, ctx: SweepContext): Promise<SweepRow[]> {
  const name = cellName(cell);
  ctx.onProgress?.(`=== ${name}: serve, seed, ${cell.steps.length} runs on that seed`);
  const serve = spawn(process.execPath, [BIN, 'serve', '--set', `strategy=${cell.strategy}`, '--set', `lock=${cell.lock}`], {
    env: { ...process.env, ...ctx.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let serveErr = '';
  serve.stderr?.on('data', (d: Buffer) => (serveErr += d.toString()));
  try {
    await serving(ctx.targetUrl, cell.strategy, serve, () => serveErr);
    const seeded = await runCli(['seed', ...SWEEP_SEED], ctx.env);
    if (seeded.code !== 0) throw new Error(`perf-lab seed exited ${seeded.code}: ${seeded.stderr.trim()}`);
    const rows: SweepRow[] = [];
    for (const [i, step] of cell.steps.entries()) {
      rows.push(await runStep(name, i + 1, step, ctx));
      const row = rows.at(-1)!;
      ctx.onProgress?.(`  ${row.runOnSeed}. ${row.step}: ${row.verdict}${row.fault !== '—' ? ` (fault ${row.fault})` : ''} ${row.detail} [${row.seconds.toFixed(1)} s]`);
    }
    return rows;
  } finally {
    await stopServe(serve);
  }
}

function stepLabel(step: SweepStep): string {
  return `${step.scenario}/${step.profile}${step.fault ? ` --fault ${step.fault}` : ''}`;
}

async function runStep(cell: string, runOnSeed: number, step: SweepStep, ctx: SweepContext): Promise<SweepRow> {
  const started = performance.now();
  let base = { cell, runOnSeed, step: stepLabel(step), requests: 0, accepted: 0 };
  const elapsed = () => (performance.now() - started) / 1000;
  const run = await runCli([
    'run', step.scenario, '--profile', step.profile, ...step.loadFlags, '--runs-dir', ctx.runsDir, '--json',
    ...(step.fault ? ['--fault', step.fault] : []),
  ], ctx.env, { timeoutMs: 180_000 });
  let record: RunJson;
  try {
    record = JSON.parse(run.stdout) as RunJson;
  } catch {
    return { ...base, verdict: 'error', fault: '—', detail: `run exited ${run.code}: ${lastLine(run.stderr)}`, seconds: elapsed() };
  }
  base = { ...base, requests: record.requests, accepted: record.accepted };
  const faultRecord = record.faults[0];
  const fault = faultRecord ? `${faultRecord.outcome}${faultRecord.error ? `: ${faultRecord.error}` : ''}` : '—';
  const checked = await runCli(['audit', '--run', record.runDir, '--timeout', '60', '--json'], ctx.env, { timeoutMs: 180_000 });
  let report: AuditJson;
  try {
    report = JSON.parse(checked.stdout) as AuditJson;
  } catch {
    return { ...base, verdict: 'error', fault, detail: `audit exited ${checked.code}: ${lastLine(checked.stderr)}`, seconds: elapsed(), runDir: record.runDir };
  }
  const notOk = report.invariants.filter((i) => i.status !== 'ok' && i.status !== 'not-applicable')
    .map((i) => `${i.name} ${i.status} (${i.violations}${i.examples[0] ? `: ${i.examples[0]}` : ''})`);
  return { ...base, verdict: report.verdict, fault, detail: [...notOk, ...report.reasons].join('; '), seconds: elapsed(), runDir: record.runDir };
}

/** Waits (bounded) until the server serve started answers /health naming the strategy asked for. */
async function serving(targetUrl: string, strategy: string, serve: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (serve.exitCode !== null) throw new Error(`perf-lab serve exited ${serve.exitCode}: ${stderr().trim()}`);
    const health = await fetch(`${targetUrl}/health`, { signal: AbortSignal.timeout(1000) })
      .then((r) => (r.ok ? (r.json() as Promise<{ strategy?: string }>) : undefined), () => undefined);
    if (health?.strategy === strategy) return;
    if (Date.now() > deadline) throw new Error(`perf-lab serve did not serve ${targetUrl} with strategy ${strategy} within 90 s: ${stderr().trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Ctrl-C, as a user stops it: serve drains the server and exits; SIGKILL (of serve alone) past a bound. */
async function stopServe(serve: ChildProcess): Promise<void> {
  if (serve.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => serve.once('exit', () => resolve()));
  serve.kill('SIGINT');
  const timer = setTimeout(() => serve.kill('SIGKILL'), 40_000);
  await exited;
  clearTimeout(timer);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
}
