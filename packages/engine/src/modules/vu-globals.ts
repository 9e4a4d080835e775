/**
 * k6's per-VU globals: __VU, __ITER, __ENV, console and open(). They are injected into the
 * script as imports (see loader/hooks-source.ts) because Node globals are shared by all VUs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';
import type { ModuleVu } from './module-vu.ts';
import type { LogLevel } from '../output/progress-events.ts';

/** What this module uses of its VU (module-vu.ts). */
export type GlobalsVu = Pick<ModuleVu, 'env' | 'idInInstance' | 'iterationListeners' | 'phase' | 'run' | 'scenario'>;

export function createGlobalsModule(vu: GlobalsVu): Record<string, unknown> {
  const log =
    (level: LogLevel) =>
    (...args: unknown[]): void => {
      vu.run.log(level, format(...args), { source: 'console', vu: vu.idInInstance, ...(vu.scenario ? { scenario: vu.scenario.name } : {}) });
    };
  return {
    // k6: 0 in setup/teardown, the VU number otherwise; VU 0 is the one that runs them.
    __VU: vu.idInInstance,
    __ENV: vu.env,
    onIteration: (listener: (n: number) => void) => vu.iterationListeners.push(listener),
    console: { log: log('info'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
    open: (path: string, mode?: string): string | ArrayBuffer => {
      if (vu.phase !== 'init') throw new Error('open() can be used only in the init context');
      const file = resolve(vu.run.scriptDir, String(path));
      const data = readFileSync(file);
      return mode === 'b' ? new Uint8Array(data).slice().buffer : data.toString('utf8');
    },
  };
}
