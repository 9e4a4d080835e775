import { formatDurationSeconds, parseDurationSeconds } from './duration.ts';
import type { Profile, ProfileExecutor, Stage } from './profiles.ts';

/**
 * Reshapes a profile while keeping its shape: `scale` (the `--scale` factor) multiplies every
 * duration and VU count (CI runs 0.05 of the seed's profiles); `vus` sets the peak VU count and
 * `duration` the total length, each stretching the others proportionally.
 */
export interface ProfileOverrides {
  readonly scale?: number;
  readonly vus?: number;
  readonly duration?: string;
}

export function applyProfileOverrides(profile: Profile, overrides: ProfileOverrides): Profile {
  let load = profile.load;
  if (overrides.scale !== undefined) {
    const s = overrides.scale;
    if (!(s > 0)) throw new Error(`invalid scale ${s} — expected a number above 0, e.g. 0.05`);
    load = mapLoad(load, (vus) => multiplyCount(vus, s), (seconds) => seconds * s, (iterations) => multiplyCount(iterations, s));
  }
  if (overrides.vus !== undefined) {
    const vus = overrides.vus;
    if (!Number.isInteger(vus) || vus < 1) throw new Error(`invalid vus ${vus} — expected a positive integer`);
    const factor = vus / peakVUs(load);
    load = mapLoad(load, (n) => (n === peakVUs(load) ? vus : multiplyCount(n, factor)), (s) => s, (i) => i);
  }
  if (overrides.duration !== undefined) {
    const target = parseDurationSeconds(overrides.duration);
    if (!(target > 0)) throw new Error(`invalid duration ${overrides.duration}`);
    const factor = target / totalSeconds(load);
    load = load.executor === 'per-vu-iterations'
      ? { ...load, maxDuration: formatDurationSeconds(target) }
      : mapLoad(load, (n) => n, (s) => s * factor, (i) => i);
  }
  return { ...profile, load };
}

function multiplyCount(n: number, factor: number): number {
  return n === 0 ? 0 : Math.max(1, Math.round(n * factor));
}

function mapLoad(
  load: ProfileExecutor,
  vus: (n: number) => number,
  seconds: (s: number) => number,
  iterations: (n: number) => number,
): ProfileExecutor {
  // Stages never shrink below a second: k6 rounds shorter ones away.
  const dur = (d: string) => formatDurationSeconds(Math.max(1, seconds(parseDurationSeconds(d))));
  switch (load.executor) {
    case 'per-vu-iterations':
      return { ...load, vus: vus(load.vus), iterations: iterations(load.iterations) };
    case 'constant-vus':
      return { ...load, vus: vus(load.vus), duration: dur(load.duration) };
    case 'ramping-vus':
      return {
        ...load,
        startVUs: vus(load.startVUs),
        stages: load.stages.map((st: Stage) => ({ duration: dur(st.duration), target: vus(st.target) })),
      };
  }
}

export function peakVUs(load: ProfileExecutor): number {
  if (load.executor === 'ramping-vus') return Math.max(load.startVUs, ...load.stages.map((s) => s.target));
  return load.vus;
}

export function totalSeconds(load: ProfileExecutor): number {
  if (load.executor === 'ramping-vus') return load.stages.reduce((sum, s) => sum + parseDurationSeconds(s.duration), 0);
  if (load.executor === 'constant-vus') return parseDurationSeconds(load.duration);
  return parseDurationSeconds(load.maxDuration);
}
