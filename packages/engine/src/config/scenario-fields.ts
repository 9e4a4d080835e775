/**
 * What every scenario has whatever its executor, and the checks its option fields go through,
 * with k6's messages. Each executor's own fields are parsed in its file under executors/.
 */
import { durationMsOr, parseDurationMs } from './duration.ts';
import type { ScenarioInput } from './k6-options.ts';

export interface ScenarioCommon {
  readonly name: string;
  readonly executor: string;
  readonly startTimeMs: number;
  readonly gracefulStopMs: number;
  readonly exec: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface Stage {
  readonly durationMs: number;
  readonly target: number;
}

export const SECOND_MS = 1000;

export function commonFields(name: string, s: ScenarioInput, where: string): ScenarioCommon {
  return {
    name,
    executor: s.executor,
    startTimeMs: durationMsOr(s.startTime, 0, `${where} startTime`),
    gracefulStopMs: durationMsOr(s.gracefulStop, 30 * SECOND_MS, `${where} gracefulStop`),
    exec: s.exec ?? 'default',
    env: { ...(s.env ?? {}) },
    tags: { ...(s.tags ?? {}) },
  };
}

export function stagesOf(s: ScenarioInput, where: string): Stage[] {
  if (!Array.isArray(s.stages) || s.stages.length === 0) throw new Error(`${where}: stages must be a non-empty array`);
  return s.stages.map((st, i) => ({
    durationMs: parseDurationMs(st.duration, `${where} stages[${i}].duration`),
    target: nonNegative(st.target, `${where} stages[${i}].target`),
  }));
}

export function stagesDurationMs(stages: readonly Stage[]): number {
  return stages.reduce((a, st) => a + st.durationMs, 0);
}

/** preAllocatedVUs of the arrival-rate executors. */
export function preAllocatedVUsOf(s: ScenarioInput, where: string): number {
  return nonNegativeInt(required(s.preAllocatedVUs, `${where} preAllocatedVUs`), `${where} preAllocatedVUs`);
}

/** maxVUs of the arrival-rate executors: preAllocatedVUs by default, never fewer. */
export function maxVUsOf(s: ScenarioInput, pre: number, where: string): number {
  const max = s.maxVUs === undefined ? pre : nonNegativeInt(s.maxVUs, `${where} maxVUs`);
  if (max < pre) throw new Error(`${where}: maxVUs (${max}) must not be less than preAllocatedVUs (${pre})`);
  if (max === 0) throw new Error(`${where}: needs at least one VU (preAllocatedVUs/maxVUs)`);
  return max;
}

export function required<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === null) throw new Error(`${what} is required`);
  return v;
}

export function requiredDurationMs(v: string | number | undefined, what: string): number {
  const ms = parseDurationMs(required(v, what), what);
  if (ms <= 0) throw new Error(`${what} must be greater than 0`);
  return ms;
}

export function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${what} must be a positive integer, got ${v}`);
  return v;
}

export function nonNegativeInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what} must be a non-negative integer, got ${v}`);
  return v;
}

export function positive(v: number, what: string): number {
  if (typeof v !== 'number' || !(v > 0)) throw new Error(`${what} must be greater than 0, got ${v}`);
  return v;
}

export function nonNegative(v: number, what: string): number {
  if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${what} must be >= 0, got ${v}`);
  return v;
}
