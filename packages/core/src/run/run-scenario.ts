import { mkdirSync, copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { RUNS_DIR, SCENARIO_ENV } from '@perf-lab/contract';
import { buildScenarios } from '@perf-lab/scenarios/build';
import { getProfile } from '@perf-lab/scenarios/profiles';
import { applyProfileOverrides, type ProfileOverrides } from '@perf-lab/scenarios/profile-overrides';
import type { PerfLabConfig } from '../config/config.ts';
import { recordRunStart } from '../audit/run-start.ts';
import { ConfigError, PerfLabError, ErrorKind, errorMessage } from '../errors.ts';
import { injectFaults, type FaultRecord } from '../fault/fault-injector.ts';
import type { FaultSpec } from '../fault/fault-spec.ts';
import { faultVictims } from '../fault/fault-target.ts';
import { instanceSettings, reportedServerSettings, startedServerSettings } from '../server/started-server.ts';
import { manifestPath, readManifest } from '../seed/seed-manifest.ts';
import { managedServer, targetBaseUrls } from '../server/reference-server.ts';
import { preflight } from '../preflight/preflight.ts';
import { FIRST_COME_COUPON_ID } from '../seed/seed-plan.ts';
import { checkHotUsers } from './hot-users.ts';
import { holdRunLock } from './hold-run-lock.ts';
import type { EarlyAbortRule } from './early-abort.ts';
import { countOutcomes, readOpRecords } from './op-line.ts';
import type { OutcomeCounts } from './outcome-tally.ts';
import { executeEmbedded } from './execute-embedded.ts';
import { executeK6 } from './execute-k6.ts';
import type { EngineKind, HttpClientKind } from './run-engines.ts';
import { RUN_FILES, writeJson, type RunRecord } from './run-record.ts';
import { runResults, type RunResults } from './run-results.ts';
import { collectVersions } from './versions.ts';
import { engineSegment, type LoadSegment } from './load-segment.ts';
import { startRunCpuWindow } from './run-cpu.ts';
import { cpuPerOperation, type CpuReport } from '@perf-lab/process-cpu';
import { checkDeclarations } from '../audit/check-declarations.ts';
import { checkKeyPatterns } from '../audit/check-key-patterns.ts';

export interface RunScenarioOptions {
  readonly scenario: string;
  readonly profile: string;
  readonly overrides?: ProfileOverrides;
  /** Where run folders go; default the contract's RUNS_DIR (reports/runs) under the current folder. */
  readonly runsDir?: string;
  /** Server settings in force, recorded in the report (perf-lab does not apply them here). */
  readonly serverSettings?: Readonly<Record<string, string>>;
  /** The command line to record for reproduction. */
  readonly command?: string;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** `k6` runs the bundle on a k6 binary the user installed (never installed by perf-lab). */
  readonly engine?: EngineKind;
  readonly k6Binary?: string;
  /** The embedded engine's client for plain HTTP: its own (`http1`, default) or undici. */
  readonly httpClient?: HttpClientKind;
  /** Faults to inject during the load (parsed by parseFaults), on processes perf-lab manages only. */
  readonly faults?: readonly FaultSpec[];
  /** Run only this generator's part of the test (`--segment INDEX/COUNT`); `merge` joins the parts. */
  readonly segment?: LoadSegment;
  /** Check the services, the target and the seed before any load (default true). */
  readonly preflight?: boolean;
  /** Stop a run whose requests all fail from the start (embedded engine); false: never. */
  readonly earlyAbort?: EarlyAbortRule | false;
  /** Order: draw users from the first N only, so many requests hit the same users at once. */
  readonly hotUsers?: number;
}

/** The run was stopped because every request failed; its folder was written. The CLI exits 2. */
export class RunAbortedError extends PerfLabError {
  readonly runDir: string;
  constructor(reason: string, runDir: string) {
    super(ErrorKind.environment, `${reason} — check the target and \`perf-lab status\`; the run folder is ${runDir}`);
    this.name = 'RunAbortedError';
    this.runDir = runDir;
  }
}

export interface RunScenarioResult {
  readonly runDir: string;
  readonly faults: readonly FaultRecord[];
  readonly exitCode: number;
  readonly thresholdsPassed: boolean;
  readonly results: RunResults;
  /** Every operation's outcome by class and reason. */
  readonly outcomes: OutcomeCounts;
  readonly cpu: CpuReport;
}

/** k6 exit codes perf-lab treats as a finished test whose checks failed, not as a crash. */
const FINISHED_CODES = new Set([0, 99, 108]);

/**
 * Bundles the scenario, runs it on the embedded engine against the target, and writes the run
 * folder: summary (from handleSummary), per-second time series, per-operation log, the seed
 * manifest it ran against, and run.json with everything needed to repeat it. Holds the target's
 * run lock throughout: a second run against the same target fails before its pre-flight.
 */
export async function runScenario(config: PerfLabConfig, options: RunScenarioOptions): Promise<RunScenarioResult> {
  // The parts of a split test (--segment) load one target at once by design, `merge` judging them together.
  if (options.segment) return loadAndRecord(config, options);
  return holdRunLock(config, options.command ?? defaultCommand(options), () => loadAndRecord(config, options));
}

function defaultCommand(options: RunScenarioOptions): string {
  return `perf-lab run ${options.scenario} --profile ${options.profile}`;
}

/** The run itself; the lock (or, for a part of a split test, none) is the caller's. */
async function loadAndRecord(config: PerfLabConfig, options: RunScenarioOptions): Promise<RunScenarioResult> {
  let profile;
  try {
    profile = applyProfileOverrides(getProfile(options.scenario, options.profile), options.overrides ?? {});
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (options.engine === 'k6' && options.httpClient) {
    throw new ConfigError('--http-client chooses the embedded engine\'s HTTP client; with --engine k6, k6 uses its own: drop one of the two');
  }
  if (options.engine === 'k6' && options.segment) {
    throw new ConfigError('--segment writes a part that `perf-lab merge` reads, which only the embedded engine writes: drop --engine k6, or run k6 with --execution-segment yourself');
  }
  const faults = options.faults ?? [];
  // Refused before anything runs: an external service or a server perf-lab did not start (exit 2).
  const victims = faultVictims(config, faults);
  const couponId = FIRST_COME_COUPON_ID;
  // Every instance perf-lab started at the target (`serve --instances N`): VUs spread over them.
  const baseUrls = targetBaseUrls(config);
  if (options.preflight !== false) {
    await preflight(config, { scenario: options.scenario, manifestFile: manifestPath(config.stateDir), couponId, userId: 1, targetUrls: baseUrls });
  }
  const manifest = readManifest(manifestPath(config.stateDir));
  const users = manifest.plan.users;
  // Checked before anything is written: a bad request leaves no half-made run folder.
  checkHotUsers(options.hotUsers, {
    users, from: `the seed manifest at ${manifestPath(config.stateDir)}`, seedMore: (n) => `seed more (\`perf-lab seed --users ${n}\`)`,
  });
  if (profile.load.executor === 'per-vu-iterations' && options.scenario !== 'storm') {
    const needed = profile.load.vus * profile.load.iterations;
    if (needed > users) throw new ConfigError(`profile ${options.profile} needs ${needed} distinct users but the seed has ${users} — seed more (\`perf-lab seed --users ${needed}\`) or scale down`);
  }
  // A declared schema or invariant that does not fit the database is refused before any load (exit 2).
  await checkDeclarations(config);
  await checkKeyPatterns(config, manifest);
  const startedAt = new Date();
  const runsDir = path.resolve(options.runsDir ?? RUNS_DIR);
  const part = options.segment ? `-part-${options.segment.index}-of-${options.segment.count}` : '';
  const runDir = path.join(runsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}-${options.scenario}-${options.profile}${part}`);
  mkdirSync(runDir, { recursive: true });
  copyFileSync(manifestPath(config.stateDir), path.join(runDir, RUN_FILES.manifest));

  const [bundle] = (await buildScenarios(path.join(runDir, 'bundle'))).filter((f) => path.basename(f) === `${options.scenario}.js`);
  if (!bundle) throw new PerfLabError(ErrorKind.environment, `no bundle for scenario ${options.scenario}`);
  const env: Record<string, string> = {
    [SCENARIO_ENV.baseUrl]: config.targetUrl,
    ...(baseUrls.length > 1 ? { [SCENARIO_ENV.baseUrls]: baseUrls.join(',') } : {}),
    ...(options.hotUsers !== undefined ? { [SCENARIO_ENV.hotUsers]: String(options.hotUsers) } : {}),
    // The API the scripts speak, whole: a k6 script reads only its __ENV, and each key has a default there.
    [SCENARIO_ENV.apiContract]: JSON.stringify(config.api),
    [SCENARIO_ENV.profile]: options.profile,
    [SCENARIO_ENV.summaryJson]: path.join(runDir, RUN_FILES.summary),
    [SCENARIO_ENV.couponId]: String(couponId),
    // The seed's split: sequential users come first (1..), random draws from the last two thirds.
    [SCENARIO_ENV.userMin]: String(options.scenario === 'coupon' ? Math.floor(users / 3) + 1 : 1),
    [SCENARIO_ENV.userMax]: String(users),
    ...(options.overrides?.scale !== undefined ? { [SCENARIO_ENV.scale]: String(options.overrides.scale) } : {}),
    ...(options.overrides?.vus !== undefined ? { [SCENARIO_ENV.vus]: String(options.overrides.vus) } : {}),
    ...(options.overrides?.duration !== undefined ? { [SCENARIO_ENV.duration]: options.overrides.duration } : {}),
  };

  // Several runs may share a seed: the audit judges this run by the rows added after this point.
  const runStart = await recordRunStart(config).catch((err: unknown) => {
    options.onProgress?.(`could not record where the run starts in MySQL (${errorMessage(err)}): its audit will count every row since the seed as this run's`);
    return null;
  });
  const started = startedServerSettings(config);
  const reported = options.serverSettings || started ? undefined : await reportedServerSettings(config);
  const [settingsFound, serverSettingsFrom] = options.serverSettings
    ? [options.serverSettings, 'given' as const]
    : started ? [started, 'started by perf-lab' as const]
      : reported ? [reported, 'reported by the server' as const] : [{}, 'unknown' as const];
  // Instances perf-lab started at the target: how many and where, said outright rather than
  // left to be inferred from the topic's partition count or the scripts' BASE_URLS.
  const serverSettings = baseUrls.length > 1 ? { ...settingsFound, ...instanceSettings(baseUrls) } : settingsFound;

  const spec = {
    script: bundle, env, runDir, operationsFile: path.join(runDir, RUN_FILES.operations),
    progress: options.onProgress ?? (() => undefined), ...(options.signal ? { signal: options.signal } : {}),
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    ...(options.segment ? { segment: { ...engineSegment(options.segment), partDir: runDir } } : {}),
    ...(options.earlyAbort !== undefined ? { earlyAbort: options.earlyAbort } : {}),
  };
  const engine = options.engine ?? 'embedded';
  const injection = faults.length === 0 ? undefined : injectFaults(faults, victims, {
    ...(managedServer(config) ? { serverUrl: config.targetUrl } : {}), onProgress: spec.progress,
  });
  let faultRecords: FaultRecord[] = [];
  let result;
  const cpuWindow = startRunCpuWindow(config);
  try {
    result = engine === 'k6' ? await executeK6(spec, options.k6Binary ?? 'k6') : await executeEmbedded(spec);
  } finally {
    faultRecords = (await injection?.finish()) ?? [];
  }
  if ((!FINISHED_CODES.has(result.exitCode) && !result.abortReason) || !result.summary) {
    throw new PerfLabError(ErrorKind.environment, `the load test failed (k6 exit code ${result.exitCode}): ${result.error ?? 'unknown error'}`);
  }
  if (!existsSync(env[SCENARIO_ENV.summaryJson]!)) writeJson(env[SCENARIO_ENV.summaryJson]!, result.summary);
  writeJson(path.join(runDir, RUN_FILES.timeSeries), result.timeSeries);
  const summary = result.summary;
  const outcomes = result.outcomeTotals ?? countOutcomes(readOpRecords(spec.operationsFile));
  const cpu = cpuPerOperation(cpuWindow.stop(), runResults(summary).successes);
  const thresholdsPassed = Object.values(summary.metrics).every((m) => Object.values(m.thresholds ?? {}).every((t) => t.ok));
  const record: RunRecord = {
    version: 1, scenario: options.scenario, profile: options.profile,
    description: Object.keys(options.overrides ?? {}).length > 0
      ? `${profile.description} — reshaped by ${JSON.stringify(options.overrides)}; the stages that ran are under Profile`
      : profile.description,
    startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
    command: options.command ?? defaultCommand(options),
    target: config.targetUrl, engine, ...(engine === 'embedded' ? { httpClient: options.httpClient ?? 'http1' } : {}), exitCode: result.exitCode, thresholdsPassed,
    aborted: result.exitCode === 108 || result.abortReason !== undefined, ...(result.abortReason ? { abortReason: result.abortReason } : {}),
    ...(result.interruptedInFlight !== undefined ? { interruptedInFlight: result.interruptedInFlight } : {}),
    outcomes, load: profile.load, env,
    serverSettings, serverSettingsFrom, runStart, versions: await collectVersions(config),
    ...(faultRecords.length > 0 ? { faults: faultRecords } : {}), cpu,
    ...(options.segment ? { segment: `${options.segment.index}/${options.segment.count}` } : {}),
  };
  writeJson(path.join(runDir, RUN_FILES.record), record);
  if (result.abortReason) throw new RunAbortedError(result.abortReason, runDir);
  return { runDir, exitCode: result.exitCode, thresholdsPassed, results: runResults(summary), outcomes, faults: faultRecords, cpu };
}
