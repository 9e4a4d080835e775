/**
 * The load scenarios perf-lab ships (k6 scripts in scenarios/src/<name>.ts) and the load
 * profiles each has; the profiles' stages live with the scripts, the names here.
 */
export const SCENARIO_NAMES = ['coupon', 'order', 'storm'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const PROFILE_NAMES = ['sequential', 'load', 'peak'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The systems of the reference server the audit checks separately (`--system`). */
export const SYSTEM_NAMES = ['coupon', 'order'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}
