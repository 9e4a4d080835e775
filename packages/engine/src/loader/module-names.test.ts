import { describe, expect, it } from 'vitest';
import { K6_MODULE_EXPORTS } from './module-names.ts';
import { createVuModule, ENGINE_MODULE_NAMES } from '../runtime/vu-modules.ts';
import { Vu } from '../runtime/vu.ts';
import { RunContext } from '../runtime/run-context.ts';
import { MetricRegistry } from '../metrics/registry.ts';
import { registerBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { GroupTree } from '../metrics/group-tree.ts';

describe('module export table', () => {
  it('lists exactly what each module object provides (the loader generates stubs from it)', () => {
    const registry = new MetricRegistry();
    const run = new RunContext('t', '/tmp/x.js', {}, registry, registerBuiltinMetrics(registry), new GroupTree(), () => undefined, 'http1');
    const vu = new Vu(run, 1, 1);
    expect([...ENGINE_MODULE_NAMES].sort()).toEqual(Object.keys(K6_MODULE_EXPORTS).sort());
    for (const name of ENGINE_MODULE_NAMES) {
      const keys = Object.keys(createVuModule(vu, name));
      // The globals stub keeps __ITER itself, updated through onIteration.
      const expected = name === 'globals' ? [...K6_MODULE_EXPORTS[name].filter((k) => k !== '__ITER'), 'onIteration'] : [...K6_MODULE_EXPORTS[name]];
      expect(keys.sort(), name).toEqual(expected.sort());
    }
  });
});
