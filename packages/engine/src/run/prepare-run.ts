/**
 * First phase of a run: evaluate the script once as VU 0 (k6's options-reading init), lay the
 * caller's overrides over `options`, then validate scenarios, thresholds and the execution
 * segment. Failures carry the k6 exit code they map to (107 script error, 104 bad config).
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { buildStripes, parseExecutionSegment, parseExecutionSegmentSequence, type SegmentStripes } from '../config/execution-segment.ts';
import { DEFAULT_TREND_STATS, mergeOptions, type K6Options, type OptionOverrides } from '../config/k6-options.ts';
import type { Scenario } from '../executors/executor-types.ts';
import { ignoredVusWarning, normalizeScenarios } from '../executors/normalize-scenarios.ts';
import { registerBuiltinMetrics, type BuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { MetricRegistry } from '../metrics/registry.ts';
import { registerK6Hooks } from '../loader/register-hooks.ts';
import { dropTransformedSources, publishTransformedSources } from '../loader/transformed-sources.ts';
import { ScriptTransformError, transformScript } from '../transform/transform-script.ts';
import { attachRun } from '../runtime/bridge.ts';
import { describeScriptError } from '../runtime/describe-script-error.ts';
import { TestAbortedError } from '../modules/script-errors.ts';
import { GroupTree } from '../metrics/group-tree.ts';
import type { HttpClientKind } from '../http/client-config.ts';
import { RunContext } from '../runtime/run-context.ts';
import { VuPool } from '../runtime/vu-pool.ts';
import type { Vu } from '../runtime/vu.ts';
import { ThresholdSet } from '../thresholds/threshold-set.ts';
import { parsePercentileMethod } from '../metrics/trend-sink.ts';
import type { ProgressListener } from '../output/progress-events.ts';
import { EXIT_CODES, type ExitCode } from './exit-codes.ts';

export interface PreparedRun {
  readonly run: RunContext;
  readonly registry: MetricRegistry;
  readonly metrics: BuiltinMetrics;
  readonly groups: GroupTree;
  readonly pool: VuPool;
  readonly vu0: Vu;
  readonly options: K6Options;
  readonly scenarios: Scenario[];
  readonly thresholds: ThresholdSet;
  readonly stripes: SegmentStripes;
  readonly trendStats: string[];
  /** Closes VU connections, unhooks the run from the module bridge and frees the metrics'
   * histograms: nothing may read the registry afterwards. */
  dispose(): Promise<void>;
}

export class PrepareError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PrepareInput {
  script: string;
  env: Record<string, string>;
  overrides: OptionOverrides;
  listener: ProgressListener;
  httpClient?: HttpClientKind | undefined;
}

export async function prepareRun(input: PrepareInput): Promise<PreparedRun> {
  const script = resolve(input.script);
  if (!existsSync(script)) throw new PrepareError(EXIT_CODES.INVALID_CONFIG, `script not found: ${script}`);
  registerK6Hooks();
  let transformed: Map<string, string>;
  try {
    transformed = transformScript(script);
  } catch (err) {
    if (!(err instanceof ScriptTransformError)) throw err;
    throw new PrepareError(EXIT_CODES.SCRIPT_EXCEPTION, `could not load '${input.script}': ${err.message}`);
  }
  const registry = new MetricRegistry();
  const metrics = registerBuiltinMetrics(registry);
  const groups = new GroupTree();
  const run = new RunContext(randomUUID(), script, input.env, registry, metrics, groups, input.listener, input.httpClient ?? 'http1');
  const pool = new VuPool(run, script);
  const detach = attachRun(run.id, pool);
  publishTransformedSources(run.id, transformed);
  const dispose = async (): Promise<void> => {
    await pool.closeAll();
    detach();
    dropTransformedSources(run.id);
    registry.dispose();
  };
  try {
    let vu0: Vu;
    try {
      vu0 = await pool.initVu(0);
    } catch (err) {
      // exec.test.abort() in the init context: k6's "script aborted" (108), not a script error.
      if (err instanceof TestAbortedError) throw new PrepareError(EXIT_CODES.SCRIPT_ABORTED, err.message);
      throw new PrepareError(EXIT_CODES.SCRIPT_EXCEPTION, `could not initialize '${input.script}': ${describeScriptError(err)}`);
    }
    const scriptOptions = (vu0.exports.options ?? {}) as K6Options;
    if (typeof scriptOptions !== 'object') throw new PrepareError(EXIT_CODES.INVALID_CONFIG, 'the exported options must be an object');
    const options = configOrThrow(() => mergeOptions(scriptOptions, input.overrides));
    const scenarios = configOrThrow(() => normalizeScenarios(options));
    const vusIgnored = ignoredVusWarning(options);
    if (vusIgnored) run.log('warn', vusIgnored);
    const stripes = configOrThrow(() =>
      buildStripes(parseExecutionSegment(options.executionSegment), parseExecutionSegmentSequence(options.executionSegmentSequence)),
    );
    const trendStats = configOrThrow(() => validTrendStats(options.summaryTrendStats));
    const thresholds = configOrThrow(() => new ThresholdSet(options.thresholds, registry));
    for (const s of scenarios) {
      if (typeof vu0.exports[s.exec] !== 'function') {
        const what = s.exec === 'default' ? 'a default function' : `a function named "${s.exec}"`;
        throw new PrepareError(EXIT_CODES.INVALID_CONFIG, `scenario "${s.name}": the script does not export ${what}`);
      }
    }
    run.configure(options, stripes);
    return { run, registry, metrics, groups, pool, vu0, options, scenarios, thresholds, stripes, trendStats, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

function configOrThrow<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PrepareError) throw err;
    throw new PrepareError(EXIT_CODES.INVALID_CONFIG, (err as Error).message);
  }
}

function validTrendStats(stats: string[] | undefined): string[] {
  const list = stats ?? [...DEFAULT_TREND_STATS];
  for (const s of list) {
    if (!['avg', 'min', 'med', 'max', 'count'].includes(s) && parsePercentileMethod(s) === undefined) {
      throw new Error(`invalid summaryTrendStats entry "${s}": use avg, min, med, max, count or p(N)`);
    }
  }
  return list;
}
