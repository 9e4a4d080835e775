/**
 * A TypeScript script is bundled with esbuild before it runs, as a k6 user would bundle it for
 * `k6 run`: one ES module, k6's modules left external, written next to nothing of the user's
 * (a temp folder). The source map is inline and the transform keeps lines, so stack traces point
 * into the .ts file once source maps are enabled (the CLI enables them).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

export async function bundleIfTypeScript(script: string): Promise<string> {
  if (!TYPESCRIPT.test(script)) return script;
  const outfile = join(mkdtempSync(join(tmpdir(), 'perf-lab-k6-')), basename(script).replace(TYPESCRIPT, '.js'));
  await build({
    entryPoints: [script],
    outfile,
    bundle: true,
    // k6 runs ES modules; its own modules come from the runtime, never from the bundle.
    format: 'esm',
    external: ['k6', 'k6/*', 'https://*'],
    // A k6 script is not a Node program: no Node built-ins may be pulled in.
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return outfile;
}
