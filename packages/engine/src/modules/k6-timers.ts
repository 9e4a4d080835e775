/** k6/timers, tracked per VU so an interrupted VU's pending timers never fire. */
import type { ModuleVu } from './module-vu.ts';

/** What this module uses of its VU (module-vu.ts). */
export type TimersVu = Pick<ModuleVu, 'interrupted' | 'pending' | 'untrackPending'>;

export function createTimersModule(vu: TimersVu): Record<string, unknown> {
  const cancels = new Map<NodeJS.Timeout, { cancel(): void }>();
  const track = (timer: NodeJS.Timeout, clear: (t: NodeJS.Timeout) => void): NodeJS.Timeout => {
    const pending = { cancel: () => clear(timer) };
    cancels.set(timer, pending);
    vu.pending.add(pending);
    return timer;
  };
  const untrack = (timer: NodeJS.Timeout): void => {
    const cancel = cancels.get(timer);
    cancels.delete(timer);
    if (cancel) vu.untrackPending(cancel);
  };
  return {
    setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (vu.interrupted) return undefined;
      const timer: NodeJS.Timeout = setTimeout(() => {
        untrack(timer);
        fn(...args);
      }, ms);
      return track(timer, clearTimeout);
    },
    clearTimeout: (timer: NodeJS.Timeout) => {
      clearTimeout(timer);
      untrack(timer);
    },
    setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (vu.interrupted) return undefined;
      return track(setInterval(fn, ms, ...args), clearInterval);
    },
    clearInterval: (timer: NodeJS.Timeout) => {
      clearInterval(timer);
      untrack(timer);
    },
  };
}
