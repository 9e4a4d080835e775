import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PerfLabConfig } from '../config/config.ts';
import { ms, num, table } from '../report/markdown.ts';
import { holdRunLock } from '../run/hold-run-lock.ts';
import { fullRun, type FullRunOptions, type FullRunResult } from './full-run.ts';

export interface CompareOptions extends Omit<FullRunOptions, 'settings'> {
  readonly a: readonly string[];
  readonly b: readonly string[];
  readonly outDir?: string;
}

export interface CompareResult {
  readonly a: FullRunResult;
  readonly b: FullRunResult;
  readonly rpsRatio: number;
  readonly p95Ratio: number;
  readonly file: string;
  readonly markdown: string;
}

/** The same profile twice, with two server configurations, each audited; ratios side by side. */
export async function compare(config: PerfLabConfig, options: CompareOptions): Promise<CompareResult> {
  const progress = options.onProgress ?? (() => undefined);
  // One lock over both runs: no other run may slip in between A and B on the same target.
  const [a, b] = await holdRunLock(config, options.command ?? `perf-lab compare ${options.scenario}`, async () => [
    await fullRun(config, { ...options, settings: options.a, onProgress: (l) => progress(`[A] ${l}`) }),
    await fullRun(config, { ...options, settings: options.b, onProgress: (l) => progress(`[B] ${l}`) }),
  ] as const);
  const ra = a.run.results;
  const rb = b.run.results;
  const rpsRatio = ra.rps > 0 ? rb.rps / ra.rps : 0;
  const p95Ratio = ra.latencyMs.p95 > 0 ? rb.latencyMs.p95 / ra.latencyMs.p95 : 0;
  const label = (s: readonly string[]) => (s.length ? s.join(', ') : 'defaults');
  const outDir = options.outDir ?? path.join('reports', 'compare');
  const markdown = [
    `# perf-lab compare — ${options.scenario} / ${options.profile}`, '',
    `A: \`${label(options.a)}\` · B: \`${label(options.b)}\``, '',
    table(['', 'A', 'B', 'B / A'], [
      ['req/s', num(ra.rps, 2), num(rb.rps, 2), `${num(rpsRatio, 2)}×`],
      ['p95 (successes)', ms(ra.latencyMs.p95), ms(rb.latencyMs.p95), `${num(p95Ratio, 2)}×`],
      ['p99 (successes)', ms(ra.latencyMs.p99), ms(rb.latencyMs.p99), ''],
      ['requests', num(ra.requests), num(rb.requests), ''],
      ['successes', num(ra.successes), num(rb.successes), ''],
      ['business failures', num(ra.businessFailures), num(rb.businessFailures), ''],
      ['system errors', num(ra.systemErrors), num(rb.systemErrors), ''],
      ['audit', a.audit.verdict, b.audit.verdict, ''],
      ['violations', violationsOf(a), violationsOf(b), ''],
    ]), '',
    `Reports: [A](${path.relative(outDir, a.reportFile)}) · [B](${path.relative(outDir, b.reportFile)})`, '',
  ].join('\n');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${options.scenario}-${options.profile}.md`);
  writeFileSync(file, markdown);
  return { a, b, rpsRatio, p95Ratio, file, markdown };
}

function violationsOf(r: FullRunResult): string {
  const bad = r.audit.invariants.filter((i) => !i.ok);
  return bad.length === 0 ? 'none' : bad.map((i) => `${i.name} (${i.violations})`).join(', ');
}
