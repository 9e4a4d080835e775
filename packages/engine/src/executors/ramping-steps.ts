/**
 * Schedules of the ramping executors, as pure functions (tested on their own).
 *
 * ramping-vus: within a stage from a to b VUs over d, the count at time t is
 * a + trunc((b − a)·t/d): one step per whole VU, evenly spaced.
 *
 * arrival rates: iteration i of constant-arrival-rate starts at i·timeUnit/rate (the first at 0);
 * for ramping-arrival-rate the rate is linear within a stage and iteration i starts when the
 * integral of the rate reaches i + 1.
 */
import type { Stage } from '../config/scenario-fields.ts';

export interface VuStep {
  readonly atMs: number;
  readonly vus: number;
}

export function rampingVuSteps(startVUs: number, stages: readonly Stage[]): VuStep[] {
  const steps: VuStep[] = [];
  let at = 0;
  let from = startVUs;
  for (const st of stages) {
    const to = Math.round(st.target);
    const delta = to - from;
    if (st.durationMs === 0 || delta === 0) {
      if (delta !== 0) steps.push({ atMs: at, vus: to });
    } else {
      const n = Math.abs(delta);
      const sign = Math.sign(delta);
      for (let j = 1; j <= n; j++) steps.push({ atMs: at + (j * st.durationMs) / n, vus: from + sign * j });
    }
    at += st.durationMs;
    from = to;
  }
  return steps;
}

/** Iteration start offsets (ms) of a ramping arrival rate; yields until the stages end. */
export function* rampingArrivalTimes(startRate: number, timeUnitMs: number, stages: readonly Stage[]): Generator<number> {
  let stageStart = 0;
  let cumulative = 0; // iterations "owed" at stageStart
  let rate = startRate / timeUnitMs; // per ms
  let next = 1; // integral value at which the next iteration starts
  for (const st of stages) {
    const end = st.target / timeUnitMs;
    const d = st.durationMs;
    const a = d > 0 ? (end - rate) / (2 * d) : 0; // N(τ) = cumulative + rate·τ + a·τ²
    const total = cumulative + rate * d + a * d * d;
    while (next <= total + 1e-9) {
      const need = next - cumulative;
      let tau: number;
      if (Math.abs(a) < 1e-15) tau = rate > 0 ? need / rate : d;
      else tau = (-rate + Math.sqrt(Math.max(0, rate * rate + 4 * a * need))) / (2 * a);
      yield stageStart + Math.min(Math.max(tau, 0), d);
      next++;
    }
    cumulative = total;
    stageStart += d;
    rate = end;
  }
}
