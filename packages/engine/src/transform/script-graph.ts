/**
 * The script's module graph: the entry file and every local JavaScript module it imports
 * (relative or absolute paths), each parsed once. k6 modules are recorded as import targets;
 * bare specifiers (packages) and non-JavaScript files are opaque: their functions never block.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Variable } from 'eslint-scope';
import type * as ES from 'estree';
import { ScriptModule } from './script-module.ts';

export type ImportTarget =
  | { kind: 'k6'; module: string; name: string }
  | { kind: 'local'; module: ScriptModule; name: string }
  | { kind: 'opaque' };

export interface ReExport {
  readonly exported: string | undefined;
  readonly from: ScriptModule | { readonly k6: string };
  readonly local: string;
}

export class ScriptGraph {
  readonly modules = new Map<string, ScriptModule>();
  readonly imports = new Map<Variable, ImportTarget>();
  /** `export … from` of each module: exported name (undefined for `export *`) to the module and
   * name it comes from; a k6 module re-exported by a helper module is followed too. */
  readonly reExports = new Map<ScriptModule, ReExport[]>();

  constructor(readonly entry: string) {
    this.load(entry);
  }

  private load(path: string): ScriptModule {
    const known = this.modules.get(path);
    if (known) return known;
    const source = readFileSync(path, 'utf8');
    const display = relative(dirname(this.entry), path) || path;
    const mod = new ScriptModule(path, display, source);
    this.modules.set(path, mod);
    const reExports: ReExport[] = [];
    this.reExports.set(mod, reExports);
    for (const stmt of mod.ast.body) {
      if (stmt.type === 'ImportDeclaration') {
        const spec = String(stmt.source.value);
        const local = this.localModule(path, spec);
        for (const s of stmt.specifiers) {
          const variable = mod.moduleVariable(s.local.name);
          if (!variable) continue;
          const name = s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : importedName(s.imported);
          this.imports.set(variable, local ? { kind: 'local', module: local, name } : isK6(spec) ? { kind: 'k6', module: spec, name } : { kind: 'opaque' });
        }
      } else if ((stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportAllDeclaration') && stmt.source) {
        const spec = String(stmt.source.value);
        const from = this.localModule(path, spec) ?? (isK6(spec) ? { k6: spec } : undefined);
        if (!from) continue;
        if (stmt.type === 'ExportAllDeclaration') reExports.push({ exported: undefined, from, local: '*' });
        else for (const s of stmt.specifiers) reExports.push({ exported: importedName(s.exported), from, local: importedName(s.local) });
      }
    }
    return mod;
  }

  /** The local JavaScript module a specifier names, parsed; undefined for anything else. */
  private localModule(fromPath: string, spec: string): ScriptModule | undefined {
    let target: string;
    if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) target = resolve(dirname(fromPath), spec);
    else if (spec.startsWith('file:')) target = fileURLToPath(spec);
    else return undefined;
    if (!/\.(m?js)$/.test(target) || !existsSync(target)) return undefined;
    return this.load(target);
  }
}

function isK6(spec: string): boolean {
  return spec === 'k6' || spec.startsWith('k6/');
}

function importedName(node: ES.Identifier | ES.Literal): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}
