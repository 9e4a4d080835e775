/**
 * Turns `options` into validated scenarios with k6's defaults, including the shortcut options
 * (`vus`, `duration`, `iterations`, `stages`) mapped to the executor k6 picks for them. Each
 * executor's own options are checked in its file (executor-types.ts lists them).
 */
import { parseDurationMs } from '../config/duration.ts';
import type { K6Options, ScenarioInput } from '../config/k6-options.ts';
import { commonFields } from '../config/scenario-fields.ts';
import { EXECUTOR_TYPES, isExecutorName, type Scenario } from './executor-types.ts';

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
  // As k6: with no iterations, duration or stages, `vus` alone is ignored (see ignoredVusWarning).
  return { executor: 'per-vu-iterations', vus: 1, iterations: 1 };
}

/** k6's warning when `vus` was set with nothing that says how long to run them. */
export function ignoredVusWarning(o: K6Options): string | undefined {
  if (o.scenarios || o.stages || o.iterations !== undefined || o.duration !== undefined) return undefined;
  if (o.vus === undefined || o.vus === 1) return undefined;
  return `the \`vus=${o.vus}\` option will be ignored, it only works in conjunction with \`iterations\`, \`duration\`, or \`stages\``;
}

function normalizeOne(name: string, s: ScenarioInput): Scenario {
  const where = `scenario "${name}"`;
  const common = commonFields(name, s, where);
  if (!isExecutorName(s.executor)) {
    throw new Error(`${where}: unknown executor "${s.executor}" (supported: ${Object.keys(EXECUTOR_TYPES).join(', ')})`);
  }
  return EXECUTOR_TYPES[s.executor].parse(s, common, where);
}
