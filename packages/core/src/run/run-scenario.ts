import { createWriteStream, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { run as runEngine, type ProgressEvent } from '@perf-lab/engine';
import { buildScenarios } from '@perf-lab/scenarios/build';
import { OP_LOG_PREFIX } from '@perf-lab/scenarios/metric-names';
import { getProfile } from '@perf-lab/scenarios/profiles';
import { scaleProfile, type ProfileOverrides } from '@perf-lab/scenarios/scale-profile';
import type { PerfLabConfig } from '../config/config.ts';
import { ConfigError, PerfLabError, ErrorKind } from '../errors.ts';
import { manifestPath, readManifest } from '../seed/seed-manifest.ts';
import { RUN_FILES, writeJson, type K6Summary, type RunRecord, type TimeSeriesPoint } from './run-record.ts';
import { runResults, type RunResults } from './run-results.ts';
import { collectVersions } from './versions.ts';

export interface RunScenarioOptions {
  readonly scenario: string;
  readonly profile: string;
  readonly overrides?: ProfileOverrides;
  /** Where run folders go; default reports/runs under the current folder. */
  readonly runsDir?: string;
  /** Server settings in force, recorded in the report (perf-lab does not apply them here). */
  readonly serverSettings?: Readonly<Record<string, string>>;
  /** The command line to record for reproduction. */
  readonly command?: string;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface RunScenarioResult {
  readonly runDir: string;
  readonly exitCode: number;
  readonly thresholdsPassed: boolean;
  readonly results: RunResults;
}

/** k6 exit codes perf-lab treats as a finished test whose checks failed, not as a crash. */
const FINISHED_CODES = new Set([0, 99, 108]);

/**
 * Bundles the scenario, runs it on the embedded engine against the target, and writes the run
 * folder: summary (from handleSummary), per-second time series, per-operation log, the seed
 * manifest it ran against, and run.json with everything needed to repeat it.
 */
export async function runScenario(config: PerfLabConfig, options: RunScenarioOptions): Promise<RunScenarioResult> {
  let profile;
  try {
    profile = scaleProfile(getProfile(options.scenario, options.profile), options.overrides ?? {});
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const manifest = readManifest(manifestPath(config.stateDir));
  const startedAt = new Date();
  const runsDir = path.resolve(options.runsDir ?? path.join('reports', 'runs'));
  const runDir = path.join(runsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}-${options.scenario}-${options.profile}`);
  mkdirSync(runDir, { recursive: true });
  copyFileSync(manifestPath(config.stateDir), path.join(runDir, RUN_FILES.manifest));

  const [bundle] = (await buildScenarios(path.join(runDir, 'bundle'))).filter((f) => path.basename(f) === `${options.scenario}.js`);
  if (!bundle) throw new PerfLabError(ErrorKind.environment, `no bundle for scenario ${options.scenario}`);
  const users = manifest.plan.users;
  const env: Record<string, string> = {
    BASE_URL: config.targetUrl,
    PROFILE: options.profile,
    SUMMARY_JSON: path.join(runDir, RUN_FILES.summary),
    COUPON_ID: '1',
    // The seed's split: sequential users come first (1..), random draws from the last two thirds.
    USER_MIN: String(options.scenario === 'coupon' ? Math.floor(users / 3) + 1 : 1),
    USER_MAX: String(users),
    ...(options.overrides?.scale !== undefined ? { SCALE: String(options.overrides.scale) } : {}),
    ...(options.overrides?.vus !== undefined ? { VUS: String(options.overrides.vus) } : {}),
    ...(options.overrides?.duration !== undefined ? { DURATION: options.overrides.duration } : {}),
  };
  if (profile.load.executor === 'per-vu-iterations' && options.scenario !== 'storm') {
    const needed = profile.load.vus * profile.load.iterations;
    if (needed > users) throw new ConfigError(`profile ${options.profile} needs ${needed} distinct users but the seed has ${users} — seed more (\`perf-lab seed --users ${needed}\`) or scale down`);
  }

  const ops = createWriteStream(path.join(runDir, RUN_FILES.operations));
  const progress = options.onProgress ?? (() => undefined);
  let lastTick = 0;
  const onEvent = (e: ProgressEvent): void => {
    if (e.type === 'log') {
      if (e.source === 'console' && e.message.startsWith(OP_LOG_PREFIX)) ops.write(`${e.message}\n`);
      else if (e.level !== 'debug') progress(`[${e.level}] ${e.message}`);
    } else if (e.type === 'tick' && e.point.t - lastTick >= 5) {
      lastTick = e.point.t;
      progress(`${String(Math.round(e.point.t)).padStart(5)}s  vus ${String(e.point.vus).padStart(4)}  req/s ${String(e.point.httpReqs).padStart(6)}  p95 ${e.point.httpReqDurationP95.toFixed(1)} ms  failed ${e.point.httpReqFailed}`);
    }
  };
  const result = await runEngine({ script: bundle, env, cwd: runDir, onProgress: onEvent, ...(options.signal ? { signal: options.signal } : {}) });
  await new Promise<void>((resolve) => ops.end(resolve));
  if (!FINISHED_CODES.has(result.exitCode) || !result.summary) {
    throw new PerfLabError(ErrorKind.environment, `the load test failed (k6 exit code ${result.exitCode}): ${result.error ?? result.stderr ?? 'unknown error'}`);
  }
  if (!existsSync(env['SUMMARY_JSON']!)) writeJson(env['SUMMARY_JSON']!, result.summary);
  const timeSeries: TimeSeriesPoint[] = result.timeSeries.map((p) => ({
    t: p.t, requests: p.httpReqs, p95Ms: p.httpReqs > 0 ? p.httpReqDurationP95 : null, vus: p.vus, systemFailures: p.httpReqFailed,
  }));
  writeJson(path.join(runDir, RUN_FILES.timeSeries), timeSeries);
  const thresholdsPassed = result.thresholds.every((t) => t.ok);
  const record: RunRecord = {
    version: 1, scenario: options.scenario, profile: options.profile,
    description: Object.keys(options.overrides ?? {}).length > 0
      ? `${profile.description} — scaled by ${JSON.stringify(options.overrides)}; the stages that ran are under Profile`
      : profile.description,
    startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
    command: options.command ?? `perf-lab run ${options.scenario} --profile ${options.profile}`,
    target: config.targetUrl, engine: 'embedded', exitCode: result.exitCode, thresholdsPassed,
    aborted: result.exitCode === 108, load: profile.load, env,
    serverSettings: options.serverSettings ?? {}, versions: await collectVersions(config),
  };
  writeJson(path.join(runDir, RUN_FILES.record), record);
  return { runDir, exitCode: result.exitCode, thresholdsPassed, results: runResults(result.summary as unknown as K6Summary) };
}
