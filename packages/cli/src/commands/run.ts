import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { isScenarioName, SCENARIO_NAMES } from '@perf-lab/contract';
import { cpuLine, ErrorKind, formatCauses, PerfLabError, runOutcomeRows, parseFaults, parseLoadSegment, runK6CommandLine, runScenario, type EngineKind, type HttpClientKind } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';
import { faultLines, faultsFailed } from '../fault-lines.ts';
import { profileOverrides, type LoadFlags } from '../load-flags.ts';
import { outcomeLines } from '../outcome-lines.ts';

export async function runCommand(scenario: string, opts: LoadFlags & { json?: boolean; runsDir?: string; engine?: EngineKind; k6?: string; httpClient?: HttpClientKind; fault?: string[]; segment?: string; preflight?: boolean; hotUsers?: number }, command: Command): Promise<number> {
  if (!isScenarioName(scenario)) return runScriptFile(scenario, opts);
  const { config, out } = await commandContext(command, Boolean(opts.json));
  // The config's faults first, the flags' added to them: one list, checked for overlaps as a whole.
  const faults = parseFaults([...config.faults, ...(opts.fault ?? [])]);
  const result = await runScenario(config, {
    faults,
    scenario, profile: opts.profile, overrides: profileOverrides(opts),
    ...(opts.runsDir ? { runsDir: opts.runsDir } : {}),
    ...(opts.engine ? { engine: opts.engine } : {}),
    ...(opts.k6 ? { k6Binary: opts.k6 } : {}),
    ...(opts.httpClient ? { httpClient: opts.httpClient } : {}),
    ...(opts.segment ? { segment: parseLoadSegment(opts.segment) } : {}),
    ...(opts.preflight === false ? { preflight: false } : {}),
    ...(opts.hotUsers !== undefined ? { hotUsers: opts.hotUsers } : {}),
    command: `perf-lab ${process.argv.slice(2).join(' ')}`,
    onProgress: (line) => out.progress(line),
  });
  const r = result.results;
  const outcomes = runOutcomeRows(result.runDir, config.api);
  out.result(
    [
      `run folder: ${result.runDir}`,
      `${r.requests} requests, ${r.rps.toFixed(2)} req/s, p95 ${r.latencyMs.p95.toFixed(2)} ms, ${r.successes} accepted, ` +
        `${r.businessFailures} business failures, ${r.systemErrors} system errors`,
      ...outcomeLines(out, outcomes),
      ...(r.systemErrors > 0 ? [out.color.red(`system errors by cause: ${formatCauses(result.outcomes.system, 5)}`)] : []),
      result.thresholdsPassed ? out.color.green('thresholds passed') : out.color.red(`thresholds FAILED (k6 exit code ${result.exitCode})`),
      cpuLine(result.cpu),
      ...faultLines(result.faults),
      ...(faultsFailed(result.faults) ? [out.color.red(faultsFailed(result.faults)!)] : []),
      // run sends the load only; the verdict on correctness is the audit's.
      `audit: not part of run — \`perf-lab audit --run ${result.runDir}\` checks what this load did to the data (\`perf-lab lab\` runs both)`,
    ].join('\n'),
    {
      runDir: result.runDir, outcomes, requests: r.requests, rps: r.rps, p95Ms: r.latencyMs.p95, systemErrors: r.systemErrors,
      systemErrorsByReason: result.outcomes.system, businessFailures: r.businessFailures, businessFailuresByReason: result.outcomes.business, accepted: r.successes, thresholdsPassed: result.thresholdsPassed, k6ExitCode: result.exitCode,
      faults: result.faults, cpu: result.cpu,
    },
  );
  return result.thresholdsPassed && result.exitCode === 0 && !faultsFailed(result.faults) ? ExitCode.ok : ExitCode.checkFailed;
}

/** `perf-lab run script.js`: the user's own k6 script, as `perf-lab k6 run` runs it (k6's exit codes). */
async function runScriptFile(file: string, opts: LoadFlags & { httpClient?: HttpClientKind }): Promise<number> {
  if (!/\.(m?js|c?tsx?|mts)$/.test(file) || !existsSync(file)) {
    throw new PerfLabError(ErrorKind.usage, `"${file}" is neither a scenario (${SCENARIO_NAMES.join(', ')}) nor a k6 script file (.js or .ts) that exists`);
  }
  return runK6CommandLine([
    'run',
    ...(opts.vus !== undefined ? ['--vus', String(opts.vus)] : []),
    ...(opts.duration !== undefined ? ['--duration', opts.duration] : []),
    ...(opts.httpClient ? ['--http-client', opts.httpClient] : []),
    file,
  ]);
}
