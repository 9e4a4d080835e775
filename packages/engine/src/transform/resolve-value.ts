/**
 * What an expression of the script stands for, as far as the transform can tell statically: one
 * of the script's functions, a blocking k6 API, a k6 or local module namespace, or an object
 * literal (whose methods are functions). Anything else (parameters, reassigned variables,
 * computed values) is unknown: the transform never guesses a callee from a variable's type.
 */
import type { Variable } from 'eslint-scope';
import type * as ES from 'estree';
import { blockingApi, type BlockingApi } from '../modules/blocking-apis.ts';
import type { ImportTarget, ScriptGraph } from './script-graph.ts';
import type { ScriptFunction, ScriptModule } from './script-module.ts';

export type ScriptValue =
  | { kind: 'function'; fn: ScriptFunction }
  | { kind: 'api'; api: BlockingApi }
  | { kind: 'k6-namespace'; module: string }
  | { kind: 'module-namespace'; module: ScriptModule }
  | { kind: 'object'; node: ES.ObjectExpression | ES.ClassBody; module: ScriptModule };

const MAX_DEPTH = 24;

export class ValueResolver {
  constructor(private readonly graph: ScriptGraph) {}

  valueOf(mod: ScriptModule, expr: ES.Node, depth = 0): ScriptValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expr.type) {
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const fn = mod.functions.get(expr);
        return fn ? { kind: 'function', fn } : undefined;
      }
      case 'Identifier': {
        const variable = mod.resolved.get(expr);
        return variable ? this.variableValue(mod, variable, depth + 1) : undefined;
      }
      case 'ObjectExpression':
        return { kind: 'object', node: expr, module: mod };
      case 'MemberExpression': {
        const name = propertyName(expr);
        if (name === undefined) return undefined;
        const owner = expr.object.type === 'ThisExpression' ? this.thisValue(mod, expr) : this.valueOf(mod, expr.object, depth + 1);
        return owner ? this.member(owner, name, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  variableValue(mod: ScriptModule, variable: Variable, depth = 0): ScriptValue | undefined {
    const target = this.graph.imports.get(variable);
    if (target) return this.importValue(target, depth);
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0] as Variable['defs'][number];
    if (def.type === 'FunctionName') {
      const fn = mod.functions.get(def.node);
      return fn ? { kind: 'function', fn } : undefined;
    }
    if (def.type !== 'Variable' || def.node.id.type !== 'Identifier' || !def.node.init) return undefined;
    if (variable.references.filter((r) => r.isWrite()).length > 1) return undefined;
    return this.valueOf(mod, def.node.init, depth + 1);
  }

  exportValue(mod: ScriptModule, name: string, depth = 0): ScriptValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    for (const stmt of mod.ast.body) {
      if (stmt.type === 'ExportDefaultDeclaration' && name === 'default') {
        const d = stmt.declaration;
        if (d.type === 'FunctionDeclaration' || d.type === 'FunctionExpression' || d.type === 'ArrowFunctionExpression') {
          const fn = mod.functions.get(d as ES.Node);
          return fn ? { kind: 'function', fn } : undefined;
        }
        return this.valueOf(mod, d as ES.Node, depth + 1);
      }
      if (stmt.type !== 'ExportNamedDeclaration' || stmt.source) continue;
      const d = stmt.declaration;
      const declared =
        (d?.type === 'FunctionDeclaration' && d.id?.name === name) ||
        (d?.type === 'VariableDeclaration' && d.declarations.some((v) => v.id.type === 'Identifier' && v.id.name === name));
      if (declared) return this.localValue(mod, name, depth);
      for (const s of stmt.specifiers) {
        const exported = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
        if (exported === name && s.local.type === 'Identifier') return this.localValue(mod, s.local.name, depth);
      }
    }
    for (const r of this.graph.reExports.get(mod) ?? []) {
      if (r.exported !== name && r.exported !== undefined) continue;
      const local = r.exported === undefined ? name : r.local;
      if ('k6' in r.from) {
        const v = this.importValue({ kind: 'k6', module: r.from.k6, name: local }, depth);
        if (v) return v;
        continue;
      }
      if (local === '*') return { kind: 'module-namespace', module: r.from };
      const v = this.exportValue(r.from, local, depth + 1);
      if (v || r.exported !== undefined) return v;
    }
    return undefined;
  }

  private localValue(mod: ScriptModule, name: string, depth: number): ScriptValue | undefined {
    const variable = mod.moduleVariable(name);
    return variable ? this.variableValue(mod, variable, depth + 1) : undefined;
  }

  private importValue(target: ImportTarget, depth: number): ScriptValue | undefined {
    if (target.kind === 'opaque') return undefined;
    if (target.kind === 'local') return target.name === '*' ? { kind: 'module-namespace', module: target.module } : this.exportValue(target.module, target.name, depth + 1);
    if (target.name === 'default' || target.name === '*') return { kind: 'k6-namespace', module: target.module };
    const api = blockingApi(target.module, target.name);
    return api ? { kind: 'api', api } : undefined;
  }

  private member(owner: ScriptValue, name: string, depth: number): ScriptValue | undefined {
    if (owner.kind === 'k6-namespace') {
      const api = blockingApi(owner.module, name);
      return api ? { kind: 'api', api } : undefined;
    }
    if (owner.kind === 'module-namespace') return this.exportValue(owner.module, name, depth + 1);
    if (owner.kind !== 'object') return undefined;
    const members: ES.Node[] = owner.node.type === 'ObjectExpression' ? owner.node.properties : owner.node.body;
    for (const m of members) {
      if ((m.type === 'Property' || m.type === 'MethodDefinition' || m.type === 'PropertyDefinition') && !m.computed && keyName(m.key) === name && m.value) {
        return this.valueOf(owner.module, m.value as ES.Node, depth + 1);
      }
    }
    return undefined;
  }

  /** `this` inside a method: the object literal or class body that holds it. */
  private thisValue(mod: ScriptModule, expr: ES.Node): ScriptValue | undefined {
    let node: ES.Node | undefined = mod.parents.get(expr);
    while (node && !(node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration')) node = mod.parents.get(node);
    const holder = node && mod.parents.get(node);
    const container = holder && mod.parents.get(holder);
    if (container?.type === 'ObjectExpression' || container?.type === 'ClassBody') return { kind: 'object', node: container, module: mod };
    return undefined;
  }
}

export function propertyName(expr: ES.MemberExpression): string | undefined {
  if (!expr.computed) return expr.property.type === 'Identifier' ? expr.property.name : undefined;
  return expr.property.type === 'Literal' && typeof expr.property.value === 'string' ? expr.property.value : undefined;
}

function keyName(key: ES.Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}
