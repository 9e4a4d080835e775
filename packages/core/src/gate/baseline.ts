import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { writeJson } from '../run/run-record.ts';

/** One run a baseline was made from. */
export interface BaselineRun {
  readonly fromRun: string;
  readonly rps: number;
  readonly p95Ms: number;
  readonly createdAt: string;
}

/**
 * The figures a CI gate compares a run against: the median of the last few passing runs, so one
 * noisy run on a shared CI machine neither sets the bar nor trips it. `rps` and `p95Ms` are
 * those medians; `runs` keeps the spread.
 */
export interface Baseline {
  readonly version: 2;
  readonly scenario: string;
  readonly profile: string;
  readonly rps: number;
  readonly p95Ms: number;
  readonly runs: readonly BaselineRun[];
}

/** How many runs a baseline keeps unless told otherwise. */
export const DEFAULT_BASELINE_RUNS = 5;

interface BaselineV1 {
  readonly version: 1;
  readonly scenario: string;
  readonly profile: string;
  readonly rps: number;
  readonly p95Ms: number;
  readonly fromRun: string;
  readonly createdAt: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Reads a baseline file; a version-1 file (one run) reads as a baseline of that run. */
export function readBaseline(file: string): Baseline | undefined {
  if (!existsSync(file)) return undefined;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Baseline | BaselineV1;
  if (raw.version === 1) {
    const { fromRun, rps, p95Ms, createdAt } = raw;
    return { version: 2, scenario: raw.scenario, profile: raw.profile, rps, p95Ms, runs: [{ fromRun, rps, p95Ms, createdAt }] };
  }
  if (raw.version !== 2 || !Array.isArray(raw.runs) || raw.runs.length === 0) {
    throw new ConfigError(`baseline ${file} is not a perf-lab baseline (version 1 or 2 with runs) — recreate it with \`perf-lab gate --baseline ${file} --update-baseline\``);
  }
  return raw;
}

/** The baseline with `run` added, keeping the newest `keep` runs; medians recomputed. */
export function withRun(previous: Baseline | undefined, scenario: string, profile: string, run: BaselineRun, keep: number): Baseline {
  const runs = [...(previous?.runs ?? []), run].slice(-keep);
  return { version: 2, scenario, profile, rps: median(runs.map((r) => r.rps)), p95Ms: median(runs.map((r) => r.p95Ms)), runs };
}

export function writeBaseline(file: string, baseline: Baseline): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeJson(file, baseline);
}
