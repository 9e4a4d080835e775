import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLockFile, tryRunLock, type RunLockOwner } from './run-lock.ts';

const TARGET = 'http://127.0.0.1:18080';

describe('the run lock file', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  const stateDir = () => mkdtempSync(path.join(tmpdir(), 'perf-lab-run-lock-unit-'));
  const owner = (dir: string): RunLockOwner => JSON.parse(readFileSync(runLockFile(dir, TARGET), 'utf8')) as RunLockOwner;
  /** Rewrites the lock as another process's, the way that process would have written it. */
  const ownedBy = (dir: string, pid: number) => writeFileSync(runLockFile(dir, TARGET), JSON.stringify({ ...owner(dir), pid, processStart: null, token: `other-${pid}` }));

  it('is one file per host and port, however the URL is spelt', () => {
    expect(path.basename(runLockFile('/s', 'http://127.0.0.1:18080/'))).toBe('run-127.0.0.1-18080.lock');
    expect(runLockFile('/s', 'http://127.0.0.1:18080')).toBe(runLockFile('/s', 'http://127.0.0.1:18080/api'));
    expect(path.basename(runLockFile('/s', 'http://localhost'))).toBe('run-localhost-80.lock');
  });

  it('names its holder, refuses another live process, and a release leaves nothing behind', () => {
    const dir = stateDir();
    const first = tryRunLock(dir, TARGET, 'perf-lab lab');
    expect(first.held).toBe(true);
    expect(owner(dir)).toMatchObject({ pid: process.pid, target: TARGET, command: 'perf-lab lab' });
    const child = spawn('sleep', ['30']);
    children.push(child);
    ownedBy(dir, child.pid!);
    const second = tryRunLock(dir, TARGET, 'perf-lab run coupon');
    expect(second).toMatchObject({ held: false, owner: { pid: child.pid, command: 'perf-lab lab' } });
    // A release deletes only its own lock: the file is the other process's now.
    if (first.held) first.release();
    expect(owner(dir).pid).toBe(child.pid);
  });

  it('is held again by the process that holds it (lab runs its load through run); the outer holder lets it go', () => {
    const dir = stateDir();
    const outer = tryRunLock(dir, TARGET, 'perf-lab lab');
    const inner = tryRunLock(dir, TARGET, 'perf-lab run');
    expect([outer.held, inner.held]).toEqual([true, true]);
    if (inner.held) inner.release();
    expect(owner(dir).command).toBe('perf-lab lab');
    if (outer.held) outer.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a dead owner\'s lock, or a file that is no lock, is taken over', async () => {
    const dir = stateDir();
    const taken = tryRunLock(dir, TARGET, 'perf-lab lab');
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    ownedBy(dir, child.pid!);
    const after = tryRunLock(dir, TARGET, 'perf-lab run');
    expect(after.held).toBe(true);
    expect(owner(dir)).toMatchObject({ pid: process.pid, command: 'perf-lab run' });
    if (after.held) after.release();
    expect(taken.held).toBe(true);

    writeFileSync(runLockFile(dir, TARGET), '{"pid": 12');
    const overCut = tryRunLock(dir, TARGET, 'perf-lab run');
    expect(overCut.held).toBe(true);
    if (overCut.held) overCut.release();
    expect(existsSync(runLockFile(dir, TARGET))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
