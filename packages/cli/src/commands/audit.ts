import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { RUNS_DIR, type SystemName } from '@perf-lab/contract';
import { audit, RUN_FILES, latestRunDir } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function auditCommand(opts: { json?: boolean; run?: string; latest?: boolean; timeout: number; system?: SystemName }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const runDir = opts.run ?? (opts.latest ? latestRunDir(RUNS_DIR) : undefined);
  const report = await audit(config, {
    ...(runDir ? { runDir } : {}), drainTimeoutMs: opts.timeout * 1000, ...(opts.system ? { systems: [opts.system] } : {}),
  });
  if (runDir) writeFileSync(path.join(runDir, RUN_FILES.audit), `${JSON.stringify(report, null, 2)}\n`);
  const mark = (ok: boolean, skipped?: string) => (skipped ? out.color.gray('n/a') : ok ? out.color.green('ok') : out.color.red('VIOLATED'));
  const rows = report.invariants.map((i) => [i.name, mark(i.ok, i.skipped), String(i.violations), [...i.examples.slice(0, 3), i.note ?? i.skipped ?? ''].filter(Boolean).join('; ')]);
  const head = `audit ${report.verdict === 'ok' ? out.color.green('ok') : report.verdict === 'violated' ? out.color.red('VIOLATED') : out.color.yellow('UNKNOWN')}` +
    ` — Kafka lag ${report.drain.kafkaLag}, outbox pending ${report.drain.outboxPending}${runDir ? `, run ${runDir}` : ', no run log (acknowledged-operation checks skipped)'}; ${report.seconds.toFixed(2)} s`;
  out.result(`${head}\n${out.table(['invariant', 'result', 'violations', 'examples'], rows)}`, {
    ok: report.ok, verdict: report.verdict, drain: report.drain, seconds: report.seconds,
    invariants: report.invariants.map((i) => ({ name: i.name, ok: i.ok, violations: i.violations, examples: i.examples, ...(i.skipped ? { skipped: i.skipped } : {}), ...(i.note ? { note: i.note } : {}) })),
  });
  return report.verdict === 'ok' ? ExitCode.ok : report.verdict === 'violated' ? ExitCode.checkFailed : ExitCode.unknown;
}
