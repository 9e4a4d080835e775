/**
 * The engine's layers, read from its imports (type-only ones included): no file imports itself
 * through others, the folders depend on each other one way, the HTTP client knows nothing of
 * k6, and the script-facing modules see the VU through their own interface (module-vu.ts),
 * not the runtime that implements it — the split k6 keeps between js/modules and lib/netext.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** file (relative to src) -> the engine files it imports (relative to src). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const local = info.importedFiles.map((f) => f.fileName).filter((name) => name.startsWith('.'));
    graph.set(
      relative(SRC, file),
      local.map((name) => relative(SRC, resolve(dirname(file), name))),
    );
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const folderOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : '.');

describe('engine import layers', () => {
  const graph = importGraph();

  it('reads every source file and resolves every relative import to one of them', () => {
    expect(graph.size).toBeGreaterThan(50);
    const unresolved = [...graph].flatMap(([file, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${file} -> ${d}`));
    expect(unresolved).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has no import cycle between folders (the entry files at the top of src/ aside)', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, deps] of graph) {
      const from = folderOf(file);
      if (from === '.') continue;
      for (const dep of deps) {
        const to = folderOf(dep);
        if (to !== from) folders.set(from, (folders.get(from) ?? new Set()).add(to));
      }
    }
    const asLists = new Map([...folders].map(([k, v]) => [k, [...v]]));
    expect(cycles(asLists).map((c) => c.join(' -> '))).toEqual([]);
  });

  const importsOutside = (folder: string, allowed: readonly string[]): string[] =>
    [...graph]
      .filter(([file]) => folderOf(file) === folder)
      .flatMap(([file, deps]) => deps.filter((d) => ![folder, ...allowed].includes(folderOf(d))).map((d) => `${file} -> ${d}`));

  it('keeps the HTTP client free of VUs, modules and metrics: http/ imports only http/', () => {
    expect(importsOutside('http', [])).toEqual([]);
  });

  it('gives the k6 modules the VU through module-vu.ts, not the runtime, the runner or the executors', () => {
    expect(importsOutside('modules', ['http', 'metrics', 'config', 'output', 'summary'])).toEqual([]);
  });
});
