#!/usr/bin/env node
// Runs the CLI from its TypeScript sources through tsx when no build is present, so a
// checkout works without a compile step; `npm run build -w perf-lab` emits dist/ for publishing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
if (existsSync(built)) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/bin.ts');
}
