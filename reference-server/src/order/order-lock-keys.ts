import type { LockKeys } from './lock/distributed-lock.ts';
import type { LockScope } from '../config.ts';

/**
 * The seed's key shapes, so perf-lab's Redis audit reads the same names:
 * `lock:order:user:{userId}` (TO-BE) and `lock:order:global` (AS-IS). Scope `none` takes no
 * lock at all; the row lock on `users` and the conditional UPDATEs then carry correctness.
 * The fence counter sits next to its lock: under `global` one counter serves everyone, which
 * is still sound, because a fencing token only has to grow per lock.
 */
export function orderLockKeys(prefix: string, scope: LockScope, userId: number): LockKeys | null {
  if (scope === 'none') return null;
  const lock = scope === 'global' ? `${prefix}lock:order:global` : `${prefix}lock:order:user:${userId}`;
  return { lock, fence: `${lock}:fence` };
}

/** Where releases are announced; one channel for all keys, so a process subscribes once. */
export function lockReleaseChannel(prefix: string): string {
  return `${prefix}lock:order:released`;
}
