import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScriptTransformError, transformScript } from './transform-script.ts';

function transform(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'perf-lab-transform-'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  const out = transformScript(join(dir, 'main.js'));
  return Object.fromEntries(Object.keys(files).flatMap((name) => {
    const src = out.get(pathToFileURL(join(dir, name)).href);
    return src === undefined ? [] : [[name, src.replace('const __perfLab$blocking = Symbol.for("perf-lab.k6.blocking");', '').replaceAll('[__perfLab$blocking]', '[B]')]];
  }));
}

describe('transformScript', () => {
  it('makes the functions that reach a blocking call async and awaits their calls, line for line', () => {
    const main = [
      "import http from 'k6/http';",
      "import { group, sleep } from 'k6';",
      'function load(p) { return http.get(p).json(); }',
      'function pure(x) { return x + 1; }',
      'export default function () {',
      "  group('g', () => { load('/a') })",
      '  pure(1)',
      '  sleep(1)',
      '}',
    ].join('\n');
    const out = transform({ 'main.js': main })['main.js'] as string;
    expect(out.split('\n')).toEqual([
      "import http from 'k6/http';",
      "import { group, sleep } from 'k6';",
      'async function load(p) { return (await http.get[B](p)).json(); }',
      'function pure(x) { return x + 1; }',
      'export default async function () {',
      "  await group[B]('g', async () => { await load('/a') })",
      '  pure(1)',
      '  await sleep[B](1)',
      '}',
    ]);
  });

  it('follows helpers across modules and re-exports, and leaves modules without blocking calls alone', () => {
    const out = transform({
      'main.js': "import { fetchAll } from './index.js';\nimport { format } from './util.js';\nexport default function () { format(fetchAll()); }",
      'index.js': "export { fetchAll } from './api.js';",
      'api.js': "import { get } from 'k6/http';\nexport function fetchAll() { return get('/all'); }",
      'util.js': 'export const format = (r) => String(r.status);',
    });
    expect(out['main.js']).toContain('export default async function () { format((await fetchAll())); }');
    expect(out['api.js']).toContain("export async function fetchAll() { return (await get[B]('/all')); }");
    expect(out['util.js']).toBeUndefined();
    expect(out['index.js']).toBeUndefined();
  });

  it('follows k6 functions a helper module re-exports', () => {
    const out = transform({
      'main.js': "import { get, pause } from './k6-helpers.js';\nimport * as k6 from './k6-helpers.js';\nexport default function () { get('/'); k6.pause(1); pause(1); }",
      'k6-helpers.js': "export { get } from 'k6/http';\nexport { sleep as pause } from 'k6';",
    });
    expect(out['main.js']).toContain("export default async function () { await get[B]('/'); await k6.pause[B](1); await pause[B](1); }");
  });

  it('leaves the script’s own async functions async and awaits blocking calls inside them', () => {
    const out = transform({ 'main.js': "import http from 'k6/http';\nexport default async function () { await http.asyncRequest('GET', '/'); http.post('/x'); }" });
    expect(out['main.js']).toContain("export default async function () { await http.asyncRequest('GET', '/'); await http.post[B]('/x'); }");
  });

  it('refuses blocking calls inside callbacks it cannot make wait, naming each place', () => {
    const main = [
      "import http from 'k6/http';",
      "import { check } from 'k6';",
      'const get = (u) => http.get(u);',
      'export default function () {',
      "  ['/a'].map(get);",
      "  check(null, { ok: () => http.get('/b').status === 200 });",
      '}',
    ].join('\n');
    expect(() => transform({ 'main.js': main })).toThrow(ScriptTransformError);
    try {
      transform({ 'main.js': main });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/main\.js:5:14: `get` is passed to `\['\/a'\]\.map\(\)`.*http\.get\(\) at line 3/);
      expect(message).toMatch(/main\.js:6:21: this function is a property of an object passed to `check\(\)`/);
    }
  });

  it('follows `export { main as default }`, class fields holding arrows, and optional calls', () => {
    const out = transform({
      'main.js': [
        "import http from 'k6/http';",
        'class Api { fetch = (u) => http.get(u); }',
        'const api = new Api();',
        'function main() { api.fetch(\'/a\'); api.maybe?.(); }',
        'export { main as default };',
      ].join('\n'),
    })['main.js'] as string;
    expect(out.split('\n').slice(1, 4)).toEqual([
      'class Api { fetch = async (u) => (await http.get[B](u)); }',
      'const api = new Api();',
      "async function main() { await api.fetch('/a'); api.maybe?.(); }",
    ]);
  });

  it('refuses a helper that makes requests called in the init context', () => {
    expect(() => transform({ 'main.js': "import http from 'k6/http';\nfunction login() { return http.post('/login'); }\nconst session = login();\nexport default function () { login(); }" })).toThrow(
      /main\.js:3:17: login\(\) is called in the init context, but it makes a blocking k6 call \(http\.post\(\) at line 2 in main\.js\)/,
    );
  });

  it('refuses a blocking call in a parameter default, where await cannot go', () => {
    expect(() => transform({ 'main.js': "import http from 'k6/http';\nfunction show(res = http.get('/')) { return res.status; }\nexport default function () { show(); }" })).toThrow(
      /main\.js:2:21: http\.get\(\) in a parameter's default value cannot be made to wait/,
    );
  });

  it('refuses a generator that makes requests', () => {
    expect(() => transform({ 'main.js': "import http from 'k6/http';\nfunction* pages() { yield http.get('/'); }\nexport default function () { pages().next(); }" })).toThrow(/main\.js:2:1: a generator function cannot wait/);
  });
});
