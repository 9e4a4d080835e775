import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { RUNS_DIR, type SystemName } from '@perf-lab/contract';
import { audit, checkSeedPresent, ConfigError, RUN_FILES, latestRunDir, manifestPath, parseSettings, resultLabel } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export async function auditCommand(
  opts: { json?: boolean; run?: string; latest?: boolean; timeout: number; system?: SystemName; set?: string[] },
  command: Command,
): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const runDir = opts.run ?? (opts.latest ? latestRunDir(RUNS_DIR) : undefined);
  if (opts.latest && !runDir) {
    throw new ConfigError(`--latest: no run folder in ${path.resolve(RUNS_DIR)} — run \`perf-lab run\` first, or pass --run DIR, or drop --latest to audit the database alone`);
  }
  await checkSeedPresent(config, runDir ? path.join(runDir, RUN_FILES.manifest) : manifestPath(config.stateDir));
  const given = opts.set ? parseSettings(opts.set).env : undefined;
  const report = await audit(config, {
    ...(runDir ? { runDir } : {}), drainTimeoutMs: opts.timeout * 1000, ...(opts.system ? { systems: [opts.system] } : {}),
    ...(given ? { serverSettings: given } : {}),
  });
  if (runDir) writeFileSync(path.join(runDir, RUN_FILES.audit), `${JSON.stringify(report, null, 2)}\n`);
  const paint = { ok: out.color.green, bad: out.color.red, undecided: out.color.yellow, muted: out.color.gray } as const;
  const rows = report.invariants.map((i) => {
    const label = resultLabel(i);
    return [i.name, paint[label.tone](label.word), String(i.violations), label.detail];
  });
  const verdict = report.verdict === 'ok' ? out.color.green('ok') : report.verdict === 'violated' ? out.color.red('VIOLATED') : out.color.yellow('UNKNOWN');
  const head = `audit ${verdict} — Kafka lag ${report.drain.kafkaLag}, outbox pending ${report.drain.outboxPending}` +
    `${runDir ? `, run ${runDir}` : ', no run log (acknowledged-operation checks skipped)'}; ${report.seconds.toFixed(2)} s\n` +
    `server settings: ${report.settings.described}` +
    report.reasons.map((r) => `\n${out.color.yellow('unknown because')} ${r}`).join('');
  out.result(`${head}\n${out.table(['invariant', 'result', 'violations', 'examples'], rows)}`, {
    ok: report.ok, verdict: report.verdict, reasons: report.reasons, drain: report.drain, settings: report.settings,
    operations: report.operations, seconds: report.seconds,
    invariants: report.invariants.map((i) => ({
      name: i.name, status: i.status, ok: i.ok, violations: i.violations, examples: i.examples,
      ...(i.skipped ? { skipped: i.skipped } : {}), ...(i.note ? { note: i.note } : {}), ...(i.undecided ? { undecided: i.undecided } : {}),
    })),
  });
  return report.verdict === 'ok' ? ExitCode.ok : report.verdict === 'violated' ? ExitCode.checkFailed : ExitCode.unknown;
}
