/**
 * The `k6` module: check, group, fail, sleep. `sleep` returns a promise; the load-time transform
 * awaits every sleep of a script, and an async script that calls it without await is told once
 * (detected at the end of the iteration), since it would otherwise silently not pause.
 */
import type { ModuleVu } from './module-vu.ts';
import { FailError } from './script-errors.ts';
import { GroupTree } from '../metrics/group-tree.ts';
import { withBlockingVariant } from './blocking-apis.ts';

/** What this module uses of its VU (module-vu.ts). */
export type CoreVu = Pick<ModuleVu, 'deriveTags' | 'findDerivedTags' | 'groupPath' | 'interrupted' | 'pending' | 'pendingSleeps' | 'phase' | 'run' | 'setGroup' | 'tags' | 'untrackPending'>;

/** What an interrupted VU's k6 calls return: a promise that never settles, so the abandoned
 * iteration stays suspended until it is garbage-collected. */
export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** A thenable that knows whether anybody awaited it. */
class SleepHandle implements PromiseLike<void> {
  awaited = false;
  constructor(private readonly promise: Promise<void>) {}
  then<A = void, B = never>(onOk?: ((v: void) => A | PromiseLike<A>) | null, onErr?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.awaited = true;
    return this.promise.then(onOk, onErr);
  }
}

export function createCoreModule(vu: CoreVu): Record<string, unknown> {
  const run = vu.run;

  function check(value: unknown, sets: Record<string, unknown>, tags?: Record<string, unknown>): boolean {
    if (vu.interrupted) return false;
    if (vu.phase === 'init') throw new Error('Using check() in the init context is not supported');
    let all = true;
    for (const [name, predicate] of Object.entries(sets ?? {})) {
      let result: unknown = predicate;
      // As k6: a predicate that throws counts as a failed check, then the exception goes on.
      let thrown: { err: unknown } | undefined;
      if (typeof predicate === 'function') {
        try {
          result = (predicate as (v: unknown) => unknown)(value);
        } catch (err) {
          result = false;
          thrown = { err };
        }
      }
      if (result instanceof Promise) {
        result.catch(() => undefined);
        throw new TypeError(`check "${name}": check() does not support async predicates (k6 rejects them too); await the value first, then check it`);
      }
      const ok = Boolean(result);
      GroupTree.childPath(vu.groupPath, name); // validates the name like k6
      run.groups.recordCheck(vu.groupPath, name, ok);
      const key = tags ? `check ${name} ${JSON.stringify(tags)}` : `check ${name}`;
      const t =
        vu.findDerivedTags(key) ??
        vu.deriveTags(key, 0, { check: name, ...(tags ? Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])) : {}) });
      run.metrics.checks.add(ok ? 1 : 0, t);
      if (thrown) throw thrown.err;
      if (!ok) all = false;
    }
    return all;
  }

  /** The script's own group(): as in k6, an async callback is an error (k6 could not time it). */
  function group<T>(name: string, fn: () => T): T {
    if (isAsyncFunction(fn)) throw new TypeError('group() does not support async functions as its callback (k6 rejects them too): write it as a plain function; blocking calls inside it are awaited by the engine');
    return timedGroup(name, fn);
  }

  /** group() as the transformed script calls it when the callback was made async by the engine. */
  function timedGroup<T>(name: string, fn: () => T): T {
    if (vu.phase === 'init') throw new Error('Using group() in the init context is not supported');
    const parent = vu.groupPath;
    const path = GroupTree.childPath(parent, name);
    run.groups.ensure(path);
    vu.setGroup(path);
    const start = performance.now();
    const done = (): void => {
      const tags = vu.tags();
      vu.setGroup(parent);
      if (!vu.interrupted) run.metrics.groupDuration.add(performance.now() - start, tags);
    };
    let result: T;
    try {
      result = fn();
    } catch (err) {
      done();
      throw err;
    }
    // A body the transform made async is awaited: group_duration covers all of it, as in k6.
    if (result instanceof Promise) return result.finally(done) as T;
    done();
    return result;
  }

  function sleep(seconds: number): PromiseLike<void> {
    if (vu.interrupted) return never();
    const ms = Math.max(0, Number(seconds) * 1000);
    const handle = new SleepHandle(
      new Promise<void>((resolve) => {
        // sleep(x) never returns before x: a timer can fire up to a millisecond early (Node counts
        // from the event loop's cached whole-millisecond clock), so an early one is re-armed.
        const until = performance.now() + ms;
        const fire = (): void => {
          const left = until - performance.now();
          if (left > 0) {
            pending.timer = setTimeout(fire, Math.max(1, left));
            return;
          }
          vu.untrackPending(pending);
          resolve();
        };
        const pending = { timer: setTimeout(fire, ms), cancel: () => clearTimeout(pending.timer) };
        vu.pending.add(pending);
      }),
    );
    vu.pendingSleeps.push(handle);
    return handle;
  }

  return {
    check,
    group: withBlockingVariant(group, timedGroup),
    // The transformed script awaits the sleep: it pauses where it is called, as in k6.
    sleep: withBlockingVariant(sleep, sleep),
    fail: (message?: string): never => {
      throw new FailError(message ?? '');
    },
    randomSeed: (seed: number) => {
      run.warnOnce('randomSeed', `randomSeed(${seed}) has no effect in the perf-lab engine: Math.random is not seedable in Node`);
    },
  };
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor?.name === 'AsyncFunction';
}

/** Counts sleeps of the iteration that nobody awaited, then forgets them. */
export function takeUnawaitedSleeps(handles: Array<{ awaited: boolean }>): number {
  if (handles.length === 0) return 0; // the usual iteration: no sleep, and no length write
  let n = 0;
  for (const h of handles) if (!h.awaited) n++;
  handles.length = 0;
  return n;
}
