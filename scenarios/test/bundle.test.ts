import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '@perf-lab/contract';
import { buildScenarios } from '../build.ts';

describe('scenario bundles', () => {
  it('are one self-contained file per scenario with only k6 imports left, built well under a second', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'perf-lab-bundles-'));
    const started = performance.now();
    const files = await buildScenarios(out);
    const ms = performance.now() - started;
    // One bundle per scenario the contract names, and no other.
    expect(files.map((f) => path.basename(f)).sort()).toEqual(SCENARIO_NAMES.map((n) => `${n}.js`).sort());
    expect(ms).toBeLessThan(1000);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      const specifiers = [...code.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      expect(specifiers.length).toBeGreaterThan(0);
      for (const s of specifiers) expect(s === 'k6' || s?.startsWith('k6/')).toBe(true);
      expect(code).not.toMatch(/\brequire\(/);
      expect(code).toMatch(/export\s*\{[^}]*options/);
      expect(code).toMatch(/handleSummary/);
    }
  });
});
