/**
 * Where the generated module stubs find their VU's module objects. A process-wide registry keyed
 * by run id (so concurrent runs in one process stay apart) on a global symbol, because the stubs
 * are evaluated by Node's loader, outside whatever module graph loaded the engine itself.
 */
import { BRIDGE_KEY } from '../loader/module-names.ts';

export interface ModuleProvider {
  /** The module object `name` (e.g. "k6/http", "globals") of VU `vuId`. */
  module(vuId: number, name: string): object;
}

interface Bridge {
  runs: Map<string, ModuleProvider>;
  module(runId: string, vuId: number, name: string): object;
}

const key = Symbol.for(BRIDGE_KEY);

function bridge(): Bridge {
  const g = globalThis as unknown as Record<symbol, Bridge | undefined>;
  let b = g[key];
  if (!b) {
    const runs = new Map<string, ModuleProvider>();
    b = {
      runs,
      module(runId, vuId, name) {
        const run = runs.get(runId);
        if (!run) throw new Error(`perf-lab engine: no active run ${runId} (a module was imported after its test ended)`);
        return run.module(vuId, name);
      },
    };
    g[key] = b;
  }
  return b;
}

export function attachRun(runId: string, provider: ModuleProvider): () => void {
  const runs = bridge().runs;
  runs.set(runId, provider);
  return () => {
    runs.delete(runId);
  };
}
