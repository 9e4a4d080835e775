/**
 * Source of the Node module hooks (registered with `module.register` as a data: URL, so they need
 * no TypeScript loader in Node's loader thread, under tsx and vitest alike).
 *
 * - `k6`, `k6/*` imported by a script that belongs to VU n of run r resolve to
 *   `perf-lab-k6:<module>?run=r&vu=n`, a stub that re-exports VU n's own module object: every VU
 *   gets its own modules, as every k6 VU has its own JS runtime.
 * - the script and its relative imports keep the run/VU query, so each VU evaluates its own copy
 *   of the module graph (k6's per-VU init context), and get the per-VU globals injected.
 */
import { BRIDGE_KEY, K6_MODULE_EXPORTS, K6_SCHEME, REMOTE_ALIASES, RUN_PARAM, VU_PARAM } from './module-names.ts';

export interface HookData {
  exportsByModule: Record<string, readonly string[]>;
  remoteAliases: Array<[string, string]>;
}

export function hookData(): HookData {
  return {
    exportsByModule: K6_MODULE_EXPORTS,
    remoteAliases: REMOTE_ALIASES.map(([re, name]) => [re.source, name]),
  };
}

export const HOOKS_SOURCE = `
let table = {};
let aliases = [];
const RUN = ${JSON.stringify(RUN_PARAM)}, VU = ${JSON.stringify(VU_PARAM)}, SCHEME = ${JSON.stringify(K6_SCHEME)};
// Sources rewritten by the load-time transform, by run: posted by the main thread before the
// run's first import (src/loader/transformed-sources.ts). A load waits for its run's entry.
const transformed = new Map();
const waiting = new Map();
function sourcesOf(run) {
  if (transformed.has(run)) return transformed.get(run);
  return new Promise((resolve) => {
    const list = waiting.get(run) || [];
    list.push(resolve);
    waiting.set(run, list);
  });
}
export function initialize(data) {
  data.port.on('message', (m) => {
    if (m.drop) { transformed.delete(m.run); return; }
    const files = new Map(m.files);
    transformed.set(m.run, files);
    for (const resolve of waiting.get(m.run) || []) resolve(files);
    waiting.delete(m.run);
  });
  table = data.exportsByModule;
  aliases = data.remoteAliases.map(([re, name]) => [new RegExp(re), name]);
}
function owner(parentURL) {
  if (!parentURL || !parentURL.startsWith('file:')) return undefined;
  const q = new URL(parentURL).searchParams;
  return q.has(RUN) ? { run: q.get(RUN), vu: q.get(VU) } : undefined;
}
function stub(name, o) {
  return SCHEME + name + '?run=' + encodeURIComponent(o.run) + '&vu=' + o.vu;
}
export async function resolve(specifier, context, nextResolve) {
  const o = owner(context.parentURL);
  if (!o) return nextResolve(specifier, context);
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    if (!(specifier in table)) {
      throw new Error('the k6 module "' + specifier + '" is not supported by the perf-lab engine; supported: ' +
        Object.keys(table).filter((n) => n.startsWith('k6')).join(', '));
    }
    return { url: stub(specifier, o), shortCircuit: true };
  }
  if (specifier.startsWith(SCHEME)) return { url: specifier, shortCircuit: true };
  if (/^https?:\\/\\//.test(specifier)) {
    const alias = aliases.find(([re]) => re.test(specifier));
    if (alias) return { url: stub(alias[1], o), shortCircuit: true };
    throw new Error('remote module "' + specifier + '" cannot be imported: the engine does not fetch code from the ' +
      'internet; bundle it into the script (esbuild) or use the engine\\'s textSummary for k6-summary');
  }
  const r = await nextResolve(specifier, context);
  if (r.url.startsWith('file:') && !r.url.includes('/node_modules/')) {
    const u = new URL(r.url);
    u.searchParams.set(RUN, o.run);
    u.searchParams.set(VU, o.vu);
    return { ...r, url: u.href };
  }
  return r;
}
const DECLARED = (name) => new RegExp('(?:^|[^.\\\\w$])(?:var|let|const|function\\\\*?|class)\\\\s+' + name.replace(/\\$/g, '\\\\$') + '(?![\\\\w$])');
export async function load(url, context, nextLoad) {
  if (url.startsWith(SCHEME)) {
    const u = new URL(url);
    const name = u.pathname;
    const run = JSON.stringify(u.searchParams.get('run'));
    const vu = Number(u.searchParams.get('vu'));
    const names = table[name] || [];
    let src = 'const __m = globalThis[Symbol.for(${JSON.stringify(BRIDGE_KEY)})].module(' + run + ', ' + vu + ', ' + JSON.stringify(name) + ');\\n';
    if (name === 'globals') {
      src += 'export let __ITER = 0; __m.onIteration((n) => { __ITER = n; });\\n';
      for (const n of names) if (n !== '__ITER') src += 'export const ' + n + ' = __m.' + n + ';\\n';
    } else {
      src += 'export default __m;\\n';
      for (const n of names) src += 'export const ' + n + ' = __m[' + JSON.stringify(n) + '];\\n';
    }
    return { format: 'module', source: src, shortCircuit: true };
  }
  const o = owner(url);
  if (!o) return nextLoad(url, context);
  const plainJs = /\\.(m?js)$/.test(new URL(url).pathname);
  const r = await nextLoad(url, plainJs ? { ...context, format: 'module' } : context);
  if (r.format !== 'module') return r;
  const file = new URL(url);
  file.search = '';
  const rewritten = (await sourcesOf(o.run)).get(file.href);
  const source = rewritten !== undefined ? rewritten : typeof r.source === 'string' ? r.source : new TextDecoder().decode(r.source);
  // Names the script declares itself would clash with the import; those fall back to globalThis.
  const inject = table.globals.filter((n) => !DECLARED(n).test(source));
  const prologue = inject.length ? 'import { ' + inject.join(', ') + ' } from ' + JSON.stringify(stub('globals', o)) + ';' : '';
  // Same line as the script's first line, so stack-trace line numbers stay right.
  return { ...r, format: 'module', source: prologue + source, shortCircuit: true };
}
`;
