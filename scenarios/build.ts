import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles each scenario into one self-contained k6 script in dist/: the file a user's own
 * `k6 run` takes and perf-lab's engine runs. Run: `npm run build:scenarios`.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const SCENARIO_ENTRIES = readdirSync(path.join(here, 'src')).filter((f) => f.endsWith('.ts')).map((f) => path.join(here, 'src', f));
export const DIST_DIR = path.join(here, 'dist');

export async function buildScenarios(outdir = DIST_DIR): Promise<string[]> {
  const result = await build({
    entryPoints: SCENARIO_ENTRIES,
    outdir,
    bundle: true,
    // k6 loads ES modules; its own modules are provided by the runtime, never bundled. Everything
    // else is inlined, @perf-lab/contract included (no dependencies, no Node APIs).
    format: 'esm',
    external: ['k6', 'k6/*'],
    // k6 is not Node: no Node built-ins or globals may leak into the bundle.
    platform: 'browser',
    // Sobek (k6's JS engine) runs ES2020 with async/await; newer syntax is lowered.
    target: 'es2020',
    // Readable bundles: users open them to see exactly what ran.
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).map((f) => path.resolve(f));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const files = await buildScenarios();
  console.log(`bundled ${files.length} scenarios in ${Math.round(performance.now() - started)} ms → ${path.relative(process.cwd(), DIST_DIR)}/`);
}
