/** Writes a k6 script to a fresh temp directory, the way a bundle lands on disk for `k6 run`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function writeScript(source: string, name = 'script.js'): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'perf-lab-engine-'));
  const path = join(dir, name);
  writeFileSync(path, source);
  return { path, dir };
}
