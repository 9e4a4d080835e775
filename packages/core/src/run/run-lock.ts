import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorKind, PerfLabError } from '../errors.ts';
import { isAlive } from '../lab/managed-process.ts';

/**
 * One run (`lab`, `run`, `compare`) at a time against a target. Two at once would share the
 * server and the databases, and each audit would judge the other's writes; the second would
 * even reuse the first's server. The lock is a file in the state folder, one per target,
 * naming its owner; a lock whose owner is dead (kill -9, a closed terminal) is taken over.
 */
export interface RunLockOwner {
  readonly pid: number;
  readonly target: string;
  readonly command: string;
  readonly startedAt: string;
  /** The owner's start in the kernel's clock ticks (Linux): a dead owner's pid reused by another process is told apart. */
  readonly processStart: string | null;
  /** This lock's own: a release deletes the file only while it is still this lock. */
  readonly token: string;
}

export type RunLockAttempt =
  | { readonly held: true; readonly file: string; readonly release: () => void }
  | { readonly held: false; readonly file: string; readonly owner: RunLockOwner };

/** `.perf-lab/run-127.0.0.1-8080.lock`: a target is its host and port, however its URL is spelt. */
export function runLockFile(stateDir: string, target: string): string {
  const url = new URL(target);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return path.join(stateDir, `run-${url.hostname.replace(/[^\w.-]/g, '_')}-${port}.lock`);
}

function processStart(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name before it may hold spaces, so count from its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function readOwner(file: string): RunLockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunLockOwner>;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' ? owner as RunLockOwner : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: RunLockOwner): boolean {
  if (!isAlive(owner.pid)) return false;
  const now = processStart(owner.pid);
  return owner.processStart === null || now === null || now === owner.processStart;
}

/**
 * Deletes the lock only while it is still the one `token` names (compare, then delete). It never
 * throws: it runs in `finally` and on signals, where an error would hide the run's own, and a
 * lock it failed to delete is taken over by the next run anyway, this process being gone.
 */
function removeIfOwn(file: string, token: string): void {
  if (readOwner(file)?.token !== token) return;
  try {
    unlinkSync(file);
  } catch {
    // See above: left for the next run to take over.
  }
}

/**
 * Moves a dead owner's lock (or a file that is no lock) aside. The move is atomic, but between
 * reading the owner and the move another process may have taken the lock over first: then what
 * was moved is its live lock, and it is put back (link fails rather than overwrite a lock taken
 * meanwhile).
 */
function clearStale(file: string, stale: RunLockOwner | undefined, token: string): void {
  const aside = `${file}.${token}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (readOwner(aside)?.token !== stale?.token) linkSync(aside, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Takes the target's lock, or says who holds it. The lock is written whole to a file of its own,
 * then linked to the lock's name: the link fails when the name exists, so two runs starting at
 * once cannot both take it, and nobody ever reads a half-written lock. A lock this process
 * holds already (`lab` runs its load through `run`) is held again, and left to the outer holder.
 */
export function tryRunLock(stateDir: string, target: string, command: string): RunLockAttempt {
  mkdirSync(stateDir, { recursive: true });
  const file = runLockFile(stateDir, target);
  const token = randomUUID();
  const mine: RunLockOwner = { pid: process.pid, target, command, startedAt: new Date().toISOString(), processStart: processStart(process.pid), token };
  const written = `${file}.${token}.tmp`;
  writeFileSync(written, `${JSON.stringify(mine, null, 2)}\n`);
  try {
    // Bounded: each pass either takes the lock, finds a live owner, or clears a dead one.
    for (let pass = 0; pass < 5; pass++) {
      try {
        linkSync(written, file);
        return { held: true, file, release: () => removeIfOwn(file, token) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readOwner(file);
      if (owner?.pid === process.pid) return { held: true, file, release: () => undefined };
      if (owner && ownerAlive(owner)) return { held: false, file, owner };
      // Dead, or not a lock at all (a file cut short by a full disk): nobody holds it.
      clearStale(file, owner, token);
    }
    throw new PerfLabError(ErrorKind.environment, `could not take the run lock ${file}: other runs kept taking it — try again`);
  } finally {
    unlinkSync(written);
  }
}
