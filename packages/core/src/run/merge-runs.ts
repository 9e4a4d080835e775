/**
 * `perf-lab merge DIR…`: the run folder of one test whose segments ran on several load
 * generators. The engine merges the parts exactly (histograms, counters, thresholds on the merged
 * data); this writes what `report`, `audit` and `gate` read — summary.json, timeseries.json, one
 * operations.log, run.json — and, when the parts are `perf-lab run --segment` folders, carries
 * over their seed manifest and run record (scenario, profile, server settings, run start).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RUNS_DIR } from '@perf-lab/contract';
import { mergePartials, PartialMergeError } from '@perf-lab/engine';
import { OP_LOG_PREFIX } from '@perf-lab/scenarios/metric-names';
import { ConfigError } from '../errors.ts';
import { runSeries } from './execute-embedded.ts';
import { RUN_FILES, readJson, writeJson, type K6Summary, type RunRecord } from './run-record.ts';
import { runResults, type RunResults } from './run-results.ts';

export interface MergeRunsOptions {
  /** Where the merged run folder goes; default the contract's RUNS_DIR under the current folder. */
  readonly runsDir?: string;
  /** The command line to record. */
  readonly command?: string;
}

export interface MergeRunsResult {
  readonly runDir: string;
  /** k6's exit code of the merged test: 0, 99 thresholds failed, 105/107/108/110 as a single run. */
  readonly exitCode: number;
  readonly thresholdsPassed: boolean;
  readonly parts: number;
  readonly results: RunResults;
}

export const MERGED_TEXT_SUMMARY = 'summary.txt';

export async function mergeRuns(dirs: readonly string[], options: MergeRunsOptions = {}): Promise<MergeRunsResult> {
  const merged = await mergePartials(dirs.map((d) => path.resolve(d))).catch((err: unknown) => {
    if (err instanceof PartialMergeError) throw new ConfigError(`cannot merge (${err.problem}): ${err.message}`);
    throw err;
  });
  const first = path.resolve(dirs[0] as string);
  // Each generator recorded where the run began in MySQL when it started; the earliest one is
  // where the whole test began.
  const records = dirs.map((d) => path.join(path.resolve(d), RUN_FILES.record)).filter((f) => existsSync(f)).map((f) => readJson<RunRecord>(f, 'run record (run.json)'));
  const earliest = records.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))[0];
  const { segment: _part, interruptedInFlight: _earliestCount, ...generatorRecord } = earliest ?? ({} as Partial<RunRecord>);
  // Each generator cut off its own VUs; a part that could not count them leaves the whole unknown.
  const counted = records.length === dirs.length && records.every((r) => r.interruptedInFlight !== undefined);
  const interruptedInFlight = counted ? records.reduce((n, r) => n + (r.interruptedInFlight ?? 0), 0) : undefined;
  const name = generatorRecord.scenario ? `${generatorRecord.scenario}-${generatorRecord.profile ?? ''}` : 'script';
  const finishedAt = new Date();
  const runDir = path.join(path.resolve(options.runsDir ?? RUNS_DIR), `${merged.startedAt.replace(/[:.]/g, '-')}-merged-${name}`);
  if (existsSync(runDir)) throw new ConfigError(`${runDir} exists already: these parts were merged before — remove it to merge again`);
  mkdirSync(runDir, { recursive: true });
  if (existsSync(path.join(first, RUN_FILES.manifest))) copyFileSync(path.join(first, RUN_FILES.manifest), path.join(runDir, RUN_FILES.manifest));
  const summary = merged.summary as unknown as K6Summary;
  writeJson(path.join(runDir, RUN_FILES.summary), summary);
  writeFileSync(path.join(runDir, MERGED_TEXT_SUMMARY), merged.text);
  writeJson(path.join(runDir, RUN_FILES.timeSeries), runSeries(merged.timeSeries));
  writeFileSync(path.join(runDir, RUN_FILES.operations), merged.consoleLines.filter((l) => l.startsWith(OP_LOG_PREFIX)).map((l) => `${l}\n`).join(''));
  const thresholdsPassed = merged.thresholds.every((t) => t.ok);
  const distributed = { parts: dirs.map((d) => path.resolve(d)), segments: merged.identity.segments, sequence: merged.identity.sequence, scriptHash: merged.identity.scriptHash };
  const record: RunRecord = {
    version: 1, scenario: 'script', profile: 'distributed', description: 'a k6 script run as segments on several load generators',
    target: '', engine: 'embedded', load: null, env: {}, serverSettings: {}, serverSettingsFrom: 'unknown', runStart: null, versions: {},
    ...generatorRecord,
    startedAt: merged.startedAt, finishedAt: finishedAt.toISOString(),
    command: options.command ?? `perf-lab merge ${dirs.join(' ')}`,
    exitCode: merged.exitCode, thresholdsPassed, aborted: merged.exitCode === 108, distributed,
    ...(interruptedInFlight !== undefined ? { interruptedInFlight } : {}),
  };
  writeJson(path.join(runDir, RUN_FILES.record), record);
  return { runDir, exitCode: merged.exitCode, thresholdsPassed, parts: dirs.length, results: runResults(summary) };
}
