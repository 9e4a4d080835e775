/**
 * k6/data SharedArray: the callback runs once per test (in the first VU that gets there), the
 * elements are stored as JSON and every access returns a fresh copy, as in k6 — so a VU that
 * mutates an element changes only its copy.
 */
import type { ModuleVu } from './module-vu.ts';

/** What this module uses of its VU (module-vu.ts). */
export type DataVu = Pick<ModuleVu, 'phase' | 'run'>;

export function createDataModule(vu: DataVu): Record<string, unknown> {
  function SharedArray(this: unknown, name: string, factory: () => unknown): unknown {
    if (!new.target) throw new Error('SharedArray must be called with new');
    if (vu.phase !== 'init') throw new Error('new SharedArray must be called in the init context');
    if (typeof name !== 'string' || name === '') throw new Error('empty name provided to SharedArray\'s constructor');
    if (typeof factory !== 'function') throw new Error('a function is expected as the second argument of SharedArray\'s constructor');
    let stored = vu.run.sharedArrays.get(name);
    if (!stored) {
      const value = factory();
      if (!Array.isArray(value)) throw new Error('only arrays can be made into SharedArray');
      stored = value.map((v) => JSON.stringify(v) ?? 'null');
      vu.run.sharedArrays.set(name, stored);
    }
    return sharedView(stored as readonly string[]);
  }
  return { SharedArray };
}

function sharedView(items: readonly string[]): unknown {
  return new Proxy(items, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        const raw = target[Number(prop)];
        return raw === undefined ? undefined : JSON.parse(raw);
      }
      if (prop === Symbol.iterator) {
        return function* iterate() {
          for (const raw of target) yield JSON.parse(raw);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
    // The target stays unfrozen (a frozen one would force the proxy to return the raw JSON);
    // writes are refused here instead.
    set() {
      throw new TypeError('SharedArray is read-only');
    },
    defineProperty() {
      throw new TypeError('SharedArray is read-only');
    },
    deleteProperty() {
      throw new TypeError('SharedArray is read-only');
    },
  });
}
