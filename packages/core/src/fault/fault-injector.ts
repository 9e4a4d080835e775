import { errorMessage } from '../errors.ts';
import { delay } from '../lab/managed-process.ts';
import { serverHealthy } from '../server/reference-server.ts';
import { faultVictimName, type FaultAction, type FaultSpec, type FaultTarget } from './fault-spec.ts';
import { killNow, signal, type FaultVictim } from './fault-target.ts';

/**
 * What run.json records of one fault. Times are milliseconds from the start of the load
 * (null when the step did not happen); `serverBackMs` is when GET /health first answered 200
 * after the fault ended, the "serves again" moment the fault matrix reports.
 */
export interface FaultRecord {
  readonly fault: string;
  readonly action: FaultAction;
  readonly target: FaultTarget;
  /** The server instance hit (`kill-server#2@…`); absent for instance 1 and the services. */
  readonly instance?: number;
  readonly plannedAtMs: number;
  readonly plannedForMs: number;
  /** recovered: undone and answering again; not-reached: the load ended first. */
  readonly outcome: 'recovered' | 'not-recovered' | 'not-reached' | 'failed';
  readonly pid: number | null;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly recoveredMs: number | null;
  readonly serverBackMs: number | null;
  readonly error?: string;
}

export interface FaultInjection {
  /** Undoes every fault still in force at once, skips those not yet due, and returns the records. */
  finish(): Promise<FaultRecord[]>;
}

export interface InjectOptions {
  /** The server whose return to service is timed after each fault (omit when there is none). */
  readonly serverUrl?: string;
  /** How long a service may take to answer again after its fault is undone. */
  readonly recoveryTimeoutMs?: number;
  readonly onProgress?: (line: string) => void;
}

const POLL_MS = 100;

/** Starts the clock now (the start of the load) and applies each fault at its time. */
export function injectFaults(faults: readonly FaultSpec[], victims: ReadonlyMap<string, FaultVictim>, options: InjectOptions = {}): FaultInjection {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const finishing = new AbortController();
  const progress = options.onProgress ?? (() => undefined);
  const recoveryMs = options.recoveryTimeoutMs ?? 120_000;
  const paused = new Set<number>();
  // A paused service must never stay stopped, not even when perf-lab itself is interrupted:
  // on Ctrl-C or SIGTERM it is resumed, then the signal takes its usual course.
  const resumeAll = () => paused.forEach((pid) => signal(pid, 'SIGCONT'));
  const onSignal = (sig: NodeJS.Signals) => {
    resumeAll();
    removeHandlers();
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  };
  const removeHandlers = () => {
    process.removeListener('exit', resumeAll);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.once('exit', resumeAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const waitUntil = async (ms: number): Promise<boolean> => {
    while (!finishing.signal.aborted && elapsed() < ms) await delay(Math.min(POLL_MS, ms - elapsed()));
    return !finishing.signal.aborted;
  };
  const pollUntil = async (check: () => Promise<boolean>, limitMs: number): Promise<number | null> => {
    const until = performance.now() + limitMs;
    while (performance.now() < until) {
      if (await check()) return elapsed();
      await delay(POLL_MS);
    }
    return null;
  };

  async function apply(fault: FaultSpec): Promise<FaultRecord> {
    const base = { fault: fault.text, action: fault.action, target: fault.target, ...(fault.instance ? { instance: fault.instance } : {}), plannedAtMs: fault.atMs, plannedForMs: fault.forMs };
    const empty = { pid: null, startMs: null, endMs: null, recoveredMs: null, serverBackMs: null };
    if (!(await waitUntil(fault.atMs))) return { ...base, ...empty, outcome: 'not-reached' };
    const victim = victims.get(faultVictimName(fault))!;
    const pid = victim.pid();
    if (pid === undefined) return { ...base, ...empty, outcome: 'failed', error: `${faultVictimName(fault)} was not running when the fault was due` };
    const startMs = elapsed();
    progress(`fault: ${fault.text} — ${fault.action === 'kill' ? 'kill -9' : 'SIGSTOP'} ${fault.target} (pid ${pid}) at ${(startMs / 1000).toFixed(1)} s`);
    let endMs = startMs;
    // Timed from the fault's end, alongside the undo: the server may serve again before (or
    // long after) the process it lost is back.
    let serverBack: Promise<number | null> = Promise.resolve(null);
    const undone = () => {
      endMs = elapsed();
      if (options.serverUrl) serverBack = pollUntil(() => serverHealthy(options.serverUrl!), recoveryMs);
    };
    try {
      if (fault.action === 'kill') {
        await killNow(pid);
        await waitUntil(startMs + fault.forMs);
        undone();
        await victim.restart();
      } else {
        paused.add(pid);
        signal(pid, 'SIGSTOP');
        await waitUntil(startMs + fault.forMs);
        signal(pid, 'SIGCONT');
        paused.delete(pid);
        undone();
      }
    } catch (err) {
      progress(`fault: ${fault.text} could not be undone: ${errorMessage(err).split('\n')[0]}`);
      return { ...base, ...empty, pid, startMs, endMs, serverBackMs: await serverBack, outcome: 'failed', error: errorMessage(err) };
    }
    const recoveredMs = await pollUntil(() => victim.answers(), recoveryMs);
    const serverBackMs = await serverBack;
    progress(`fault: ${fault.text} undone at ${(endMs / 1000).toFixed(1)} s; ${fault.target} ${recoveredMs === null ? 'did NOT answer again' : `answers again at ${(recoveredMs / 1000).toFixed(1)} s`}` +
      (serverBackMs === null ? '' : `; server serves again at ${(serverBackMs / 1000).toFixed(1)} s`));
    return { ...base, pid, startMs, endMs, recoveredMs, serverBackMs, outcome: recoveredMs === null ? 'not-recovered' : 'recovered' };
  }

  const records = Promise.all(faults.map(apply));
  return {
    async finish() {
      finishing.abort();
      try {
        return await records;
      } finally {
        resumeAll();
        removeHandlers();
      }
    },
  };
}
