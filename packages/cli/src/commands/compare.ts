import type { Command } from 'commander';
import { compare } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';
import { profileOverrides, type LoadFlags } from '../load-flags.ts';

export async function compareCommand(scenario: string, opts: LoadFlags & { json?: boolean; a?: string[]; b?: string[]; users?: number; couponStock?: number; productStock?: number }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const result = await compare(config, {
    scenario, profile: opts.profile, overrides: profileOverrides(opts), a: opts.a ?? [], b: opts.b ?? [],
    seedPlan: {
      ...(opts.users !== undefined ? { users: opts.users } : {}),
      ...(opts.couponStock !== undefined ? { couponStock: opts.couponStock } : {}),
      ...(opts.productStock !== undefined ? { productStock: opts.productStock } : {}),
    },
    command: `perf-lab ${process.argv.slice(2).join(' ')}`,
    onProgress: (line) => out.progress(out.color.gray(line)),
  });
  out.result(`${result.markdown}\nwritten to ${result.file}`, {
    file: result.file, rpsRatio: result.rpsRatio, p95Ratio: result.p95Ratio,
    a: { runDir: result.a.run.runDir, rps: result.a.run.results.rps, p95Ms: result.a.run.results.latencyMs.p95, audit: result.a.audit.verdict },
    b: { runDir: result.b.run.runDir, rps: result.b.run.results.rps, p95Ms: result.b.run.results.latencyMs.p95, audit: result.b.audit.verdict },
  });
  const verdicts = [result.a.audit.verdict, result.b.audit.verdict];
  // A faster configuration that breaks correctness is no win: either side violated fails.
  if (verdicts.includes('violated')) return ExitCode.checkFailed;
  return verdicts.includes('unknown') ? ExitCode.unknown : ExitCode.ok;
}
