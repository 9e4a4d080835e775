import type { Command } from 'commander';
import { mergeRuns } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

/** `perf-lab merge DIR…`: one run folder from the parts of a distributed test; parts that are not one test exit 2. */
export async function mergeCommand(dirs: string[], opts: { json?: boolean; runsDir?: string }, command: Command): Promise<number> {
  const { out } = await commandContext(command, Boolean(opts.json));
  const result = await mergeRuns(dirs, { ...(opts.runsDir ? { runsDir: opts.runsDir } : {}), command: `perf-lab ${process.argv.slice(2).join(' ')}` });
  const r = result.results;
  out.result(
    [
      `run folder: ${result.runDir} (${result.parts} parts)`,
      `${r.requests} requests, ${r.rps.toFixed(2)} req/s, p95 ${r.latencyMs.p95.toFixed(2)} ms, ${r.successes} accepted, ${r.businessFailures} business failures, ${r.systemErrors} system errors`,
      result.thresholdsPassed ? out.color.green('thresholds passed') : out.color.red(`thresholds FAILED (k6 exit code ${result.exitCode})`),
    ].join('\n'),
    { runDir: result.runDir, parts: result.parts, requests: r.requests, accepted: r.successes, rps: r.rps, p95Ms: r.latencyMs.p95, thresholdsPassed: result.thresholdsPassed, k6ExitCode: result.exitCode },
  );
  return result.thresholdsPassed && result.exitCode === 0 ? ExitCode.ok : ExitCode.checkFailed;
}
