/**
 * Turns `options` into validated scenarios with k6's defaults, including the shortcut options
 * (`vus`, `duration`, `iterations`, `stages`) mapped to the executor k6 picks for them.
 */
import { durationMsOr, parseDurationMs } from './duration.ts';
import type { K6Options, ScenarioInput } from './k6-options.ts';

interface ScenarioCommon {
  readonly name: string;
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

export type Scenario = ScenarioCommon &
  (
    | { readonly executor: 'shared-iterations' | 'per-vu-iterations'; readonly vus: number; readonly iterations: number; readonly maxDurationMs: number }
    | { readonly executor: 'constant-vus'; readonly vus: number; readonly durationMs: number }
    | { readonly executor: 'ramping-vus'; readonly startVUs: number; readonly stages: readonly Stage[]; readonly gracefulRampDownMs: number }
    | { readonly executor: 'constant-arrival-rate'; readonly rate: number; readonly timeUnitMs: number; readonly durationMs: number; readonly preAllocatedVUs: number; readonly maxVUs: number }
    | { readonly executor: 'ramping-arrival-rate'; readonly startRate: number; readonly timeUnitMs: number; readonly stages: readonly Stage[]; readonly preAllocatedVUs: number; readonly maxVUs: number }
  );

export type ExecutorName = Scenario['executor'];

const SECOND = 1000;
const NAME = /^[0-9A-Za-z_-]{1,100}$/;

export function normalizeScenarios(options: K6Options): Scenario[] {
  const inputs = options.scenarios ?? { default: shortcutScenario(options) };
  const out: Scenario[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    if (!NAME.test(name)) throw new Error(`invalid scenario name "${name}": use letters, digits, "_" and "-" (max 100)`);
    out.push(normalizeOne(name, input));
  }
  if (out.length === 0) throw new Error('no scenarios to run: options.scenarios is empty');
  return out;
}

function shortcutScenario(o: K6Options): ScenarioInput {
  if (o.stages && o.iterations !== undefined) throw new Error('using multiple execution config shortcuts (stages and iterations) simultaneously is not allowed');
  if (o.stages && o.duration !== undefined) throw new Error('using multiple execution config shortcuts (stages and duration) simultaneously is not allowed');
  const vus = o.vus ?? 1;
  if (o.iterations !== undefined) {
    return { executor: 'shared-iterations', vus, iterations: o.iterations, ...(o.duration !== undefined ? { maxDuration: o.duration } : {}) };
  }
  if (o.stages) return { executor: 'ramping-vus', startVUs: vus, stages: o.stages };
  if (o.duration !== undefined && parseDurationMs(o.duration, 'duration') > 0) return { executor: 'constant-vus', vus, duration: o.duration };
  return { executor: 'shared-iterations', vus, iterations: 1 };
}

function normalizeOne(name: string, s: ScenarioInput): Scenario {
  const where = `scenario "${name}"`;
  const common: ScenarioCommon = {
    name,
    startTimeMs: durationMsOr(s.startTime, 0, `${where} startTime`),
    gracefulStopMs: durationMsOr(s.gracefulStop, 30 * SECOND, `${where} gracefulStop`),
    exec: s.exec ?? 'default',
    env: { ...(s.env ?? {}) },
    tags: { ...(s.tags ?? {}) },
  };
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations': {
      const vus = positiveInt(s.vus ?? 1, `${where} vus`);
      const iterations = positiveInt(s.iterations ?? 1, `${where} iterations`);
      if (s.executor === 'shared-iterations' && iterations < vus) {
        throw new Error(`${where}: the number of iterations (${iterations}) can't be less than the number of VUs (${vus})`);
      }
      return { ...common, executor: s.executor, vus, iterations, maxDurationMs: durationMsOr(s.maxDuration, 600 * SECOND, `${where} maxDuration`) };
    }
    case 'constant-vus':
      return { ...common, executor: 'constant-vus', vus: positiveInt(s.vus ?? 1, `${where} vus`), durationMs: requiredDuration(s.duration, `${where} duration`) };
    case 'ramping-vus':
      return {
        ...common,
        executor: 'ramping-vus',
        startVUs: nonNegativeInt(s.startVUs ?? 1, `${where} startVUs`),
        stages: stages(s, where),
        gracefulRampDownMs: durationMsOr(s.gracefulRampDown, 30 * SECOND, `${where} gracefulRampDown`),
      };
    case 'constant-arrival-rate': {
      const pre = nonNegativeInt(required(s.preAllocatedVUs, `${where} preAllocatedVUs`), `${where} preAllocatedVUs`);
      return {
        ...common,
        executor: 'constant-arrival-rate',
        rate: positive(required(s.rate, `${where} rate`), `${where} rate`),
        timeUnitMs: durationMsOr(s.timeUnit, SECOND, `${where} timeUnit`),
        durationMs: requiredDuration(s.duration, `${where} duration`),
        preAllocatedVUs: pre,
        maxVUs: maxVUs(s.maxVUs, pre, where),
      };
    }
    case 'ramping-arrival-rate': {
      const pre = nonNegativeInt(required(s.preAllocatedVUs, `${where} preAllocatedVUs`), `${where} preAllocatedVUs`);
      return {
        ...common,
        executor: 'ramping-arrival-rate',
        startRate: nonNegative(s.startRate ?? 0, `${where} startRate`),
        timeUnitMs: durationMsOr(s.timeUnit, SECOND, `${where} timeUnit`),
        stages: stages(s, where),
        preAllocatedVUs: pre,
        maxVUs: maxVUs(s.maxVUs, pre, where),
      };
    }
    default:
      throw new Error(`${where}: unknown executor "${s.executor}" (supported: shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate)`);
  }
}

function stages(s: ScenarioInput, where: string): Stage[] {
  if (!Array.isArray(s.stages) || s.stages.length === 0) throw new Error(`${where}: stages must be a non-empty array`);
  return s.stages.map((st, i) => ({
    durationMs: parseDurationMs(st.duration, `${where} stages[${i}].duration`),
    target: nonNegative(st.target, `${where} stages[${i}].target`),
  }));
}

function maxVUs(value: number | undefined, pre: number, where: string): number {
  const max = value === undefined ? pre : nonNegativeInt(value, `${where} maxVUs`);
  if (max < pre) throw new Error(`${where}: maxVUs (${max}) must not be less than preAllocatedVUs (${pre})`);
  if (max === 0) throw new Error(`${where}: needs at least one VU (preAllocatedVUs/maxVUs)`);
  return max;
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === null) throw new Error(`${what} is required`);
  return v;
}

function requiredDuration(v: string | number | undefined, what: string): number {
  const ms = parseDurationMs(required(v, what), what);
  if (ms <= 0) throw new Error(`${what} must be greater than 0`);
  return ms;
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${what} must be a positive integer, got ${v}`);
  return v;
}

function nonNegativeInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what} must be a non-negative integer, got ${v}`);
  return v;
}

function positive(v: number, what: string): number {
  if (typeof v !== 'number' || !(v > 0)) throw new Error(`${what} must be greater than 0, got ${v}`);
  return v;
}

function nonNegative(v: number, what: string): number {
  if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${what} must be >= 0, got ${v}`);
  return v;
}

/** Scenario length excluding gracefulStop (k6's "duration" / maxDuration / sum of stages). */
export function scenarioDurationMs(s: Scenario): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return s.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return s.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return s.stages.reduce((a, st) => a + st.durationMs, 0);
  }
}
