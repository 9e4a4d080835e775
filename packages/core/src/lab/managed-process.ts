import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A process perf-lab started and owns: its pid lives in a pid file, and it is stopped only
 * through that file — never by process name, so a system MySQL/Redis/Kafka is never touched.
 */
export interface ManagedProcess {
  readonly pidFile: string;
  readonly logFile: string;
  /** A string the process's command line must contain for the pid to count as ours (pid reuse). */
  readonly marker: string;
}

export interface SpawnSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Drop to this user (perf-lab runs as root): the service gets only its own folder. */
  readonly uid?: number;
  readonly gid?: number;
}

export function spawnManaged(proc: ManagedProcess, spec: SpawnSpec): number {
  mkdirSync(path.dirname(proc.logFile), { recursive: true });
  mkdirSync(path.dirname(proc.pidFile), { recursive: true });
  const log = openSync(proc.logFile, 'a');
  try {
    // Detached with its own session so the service outlives the CLI that started it and a
    // Ctrl-C in the user's terminal does not reach it.
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    writeFileSync(proc.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function runningPid(proc: ManagedProcess): number | undefined {
  if (!existsSync(proc.pidFile)) return undefined;
  const pid = Number(readFileSync(proc.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return commandLineOf(pid)?.includes(proc.marker) === false ? undefined : pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) answers signal 0 but is not running.
  const stat = readProc(pid, 'stat');
  return stat === undefined || !/^\d+ \(.*\) Z/.test(stat);
}

function commandLineOf(pid: number): string | undefined {
  return readProc(pid, 'cmdline')?.replaceAll('\0', ' ');
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // no procfs (macOS): fall back to the pid file alone
  }
}

export type StopOutcome = 'not-running' | 'stopped' | 'killed';

/** SIGTERM, wait up to graceMs for a clean shutdown, then SIGKILL the process group. */
export async function stopManaged(proc: ManagedProcess, graceMs: number): Promise<StopOutcome> {
  const pid = runningPid(proc);
  if (pid === undefined) {
    rmSync(proc.pidFile, { force: true });
    return 'not-running';
  }
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) break;
    await delay(50);
  }
  let outcome: StopOutcome = 'stopped';
  if (isAlive(pid)) {
    signal(-pid, 'SIGKILL');
    signal(pid, 'SIGKILL');
    outcome = 'killed';
    while (isAlive(pid)) await delay(20);
  }
  rmSync(proc.pidFile, { force: true });
  return outcome;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A file's size in bytes, 0 when it does not exist: the offset where a process's log lines begin. */
export function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** The last lines of a file, optionally only of what was written after byte `fromByte`. */
export function tailFile(file: string, lines: number, fromByte = 0): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file).subarray(fromByte).toString('utf8');
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).slice(-lines).join('\n');
}
