/**
 * The subset of k6's `options` the engine understands, as a script exports them. Unknown keys
 * are kept (and reported in exec.test.options) but have no effect; the README lists them.
 */
import type { DurationInput } from './duration.ts';

/** What scripts may write in `options.thresholds[metric]`. */
export type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string | number };

export type ThresholdsInput = Record<string, ThresholdInput[]>;

export interface StageInput {
  duration: DurationInput;
  target: number;
}

export interface ScenarioInput {
  executor: string;
  startTime?: DurationInput;
  gracefulStop?: DurationInput;
  exec?: string;
  env?: Record<string, string>;
  tags?: Record<string, string>;
  vus?: number;
  iterations?: number;
  duration?: DurationInput;
  maxDuration?: DurationInput;
  startVUs?: number;
  stages?: StageInput[];
  gracefulRampDown?: DurationInput;
  rate?: number;
  startRate?: number;
  timeUnit?: DurationInput;
  preAllocatedVUs?: number;
  maxVUs?: number;
}

export interface K6Options {
  vus?: number;
  duration?: DurationInput;
  iterations?: number;
  stages?: StageInput[];
  scenarios?: Record<string, ScenarioInput>;
  thresholds?: ThresholdsInput;
  summaryTrendStats?: string[];
  summaryTimeUnit?: string;
  setupTimeout?: DurationInput;
  teardownTimeout?: DurationInput;
  tags?: Record<string, string>;
  userAgent?: string;
  maxRedirects?: number;
  insecureSkipTLSVerify?: boolean;
  noConnectionReuse?: boolean;
  noVUConnectionReuse?: boolean;
  discardResponseBodies?: boolean;
  throw?: boolean;
  minIterationDuration?: DurationInput;
  executionSegment?: string;
  executionSegmentSequence?: string;
  noSetup?: boolean;
  noTeardown?: boolean;
  [other: string]: unknown;
}

/** Options a caller (CLI flags, perf-lab core) lays over the script's own, as k6's CLI does. */
export type OptionOverrides = Partial<
  Pick<
    K6Options,
    | 'vus' | 'duration' | 'iterations' | 'stages' | 'thresholds' | 'summaryTrendStats' | 'tags'
    | 'userAgent' | 'maxRedirects' | 'insecureSkipTLSVerify' | 'noConnectionReuse' | 'discardResponseBodies'
    | 'executionSegment' | 'executionSegmentSequence' | 'throw' | 'noSetup' | 'noTeardown' | 'setupTimeout' | 'teardownTimeout'
  >
>;

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] as const;

const SHORTCUTS = ['vus', 'duration', 'iterations', 'stages'] as const;

/**
 * k6's config layering: CLI over script. A shortcut given by the caller (--vus, --duration,
 * --iterations, --stage) replaces the script's scenarios, as `k6 run -u 5 -d 10s` does.
 */
export function mergeOptions(script: K6Options, overrides: OptionOverrides): K6Options {
  const merged: K6Options = { ...script };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  if (SHORTCUTS.some((k) => overrides[k] !== undefined)) delete merged.scenarios;
  return merged;
}
