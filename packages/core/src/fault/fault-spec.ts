import { ConfigError } from '../errors.ts';

/**
 * A fault as the user writes it: `<action>-<target>[#<instance>]@<at>[:<for>]`, e.g.
 * `kill-server@20s` (kill -9, restart at once), `pause-kafka@30s:10s` (SIGSTOP, SIGCONT 10 s
 * later) or `kill-server#2@5s:3s` (instance 2 of `serve --instances N`; `server` alone is
 * instance 1, the target). Times count from the start of the load; `for` is how long the
 * fault lasts before it is undone.
 */
export const FAULT_ACTIONS = ['kill', 'pause'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

export const FAULT_TARGETS = ['server', 'mysql', 'redis', 'kafka'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export interface FaultSpec {
  /** As written, for run.json and the report. */
  readonly text: string;
  readonly action: FaultAction;
  readonly target: FaultTarget;
  /** Which reference-server instance (1-based; server only); absent: instance 1. */
  readonly instance?: number;
  readonly atMs: number;
  readonly forMs: number;
}

/** A pause with no `:for` lasts this long; a kill with none is restarted at once. */
export const DEFAULT_PAUSE_MS = 10_000;
/** Bounds that keep a fault run a test, not an outage. */
export const MAX_FAULTS = 20;
export const MAX_FAULT_MS = 10 * 60_000;

const SHAPE = /^([a-z]+)-([a-z]+)(?:#(\d+))?@([^:]+)(?::(.+))?$/;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

export function parseDuration(text: string, what: string): number {
  const match = DURATION.exec(text.trim());
  if (!match?.[1]) throw new ConfigError(`invalid ${what} "${text}" — expected a duration like 20s, 1.5s, 500ms or 2m`);
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS];
  if (ms > MAX_FAULT_MS) throw new ConfigError(`${what} "${text}" is longer than the ${MAX_FAULT_MS / 60_000} minutes a fault run allows`);
  return Math.round(ms);
}

export function parseFault(text: string): FaultSpec {
  const usage = 'expected <action>-<target>[#<instance>]@<at>[:<for>], e.g. kill-server@20s, kill-server#2@5s or pause-kafka@30s:10s';
  const match = SHAPE.exec(text.trim());
  if (!match?.[1] || !match[2] || !match[4]) throw new ConfigError(`invalid fault "${text}" — ${usage}`);
  const [, action, target, instanceText, at, lasts] = match;
  if (!(FAULT_ACTIONS as readonly string[]).includes(action)) {
    throw new ConfigError(`invalid fault "${text}": unknown action "${action}" — choose one of ${FAULT_ACTIONS.join(', ')}`);
  }
  if (!(FAULT_TARGETS as readonly string[]).includes(target)) {
    throw new ConfigError(`invalid fault "${text}": unknown target "${target}" — choose one of ${FAULT_TARGETS.join(', ')}`);
  }
  const instance = instanceText === undefined ? undefined : Number(instanceText);
  if (instance !== undefined && target !== 'server') {
    throw new ConfigError(`invalid fault "${text}": only the server has instances (#N); ${target} is one process`);
  }
  if (instance !== undefined && instance < 1) throw new ConfigError(`invalid fault "${text}": instances count from 1 (server#1 is the target)`);
  const forMs = lasts === undefined ? (action === 'pause' ? DEFAULT_PAUSE_MS : 0) : parseDuration(lasts, `duration of fault "${text}"`);
  if (action === 'pause' && forMs === 0) throw new ConfigError(`invalid fault "${text}": a pause needs a length above 0, e.g. ${action}-${target}@${at}:10s`);
  return {
    text: text.trim(), action: action as FaultAction, target: target as FaultTarget,
    ...(instance !== undefined ? { instance } : {}), atMs: parseDuration(at, `start of fault "${text}"`), forMs,
  };
}

/** The one process a fault hits, as a name: `mysql`, `server#1`, `server#2`. */
export function faultVictimName(fault: Pick<FaultSpec, 'target' | 'instance'>): string {
  return fault.target === 'server' ? `server#${fault.instance ?? 1}` : fault.target;
}

/**
 * Parses and orders a run's faults. Two faults on one target may not overlap: a kill during a
 * pause (or two kills) would leave it unclear which one the recovery time belongs to.
 */
export function parseFaults(texts: readonly string[]): FaultSpec[] {
  if (texts.length > MAX_FAULTS) throw new ConfigError(`${texts.length} faults given; a run takes at most ${MAX_FAULTS}`);
  const faults = texts.map(parseFault).sort((a, b) => a.atMs - b.atMs);
  for (const [i, fault] of faults.entries()) {
    const clash = faults.slice(0, i).find((f) => faultVictimName(f) === faultVictimName(fault) && fault.atMs <= f.atMs + f.forMs);
    if (clash) throw new ConfigError(`faults "${clash.text}" and "${fault.text}" overlap on ${faultVictimName(fault)} — start the second after the first is undone`);
  }
  return faults;
}
