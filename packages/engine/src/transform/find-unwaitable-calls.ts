/**
 * Blocking calls the transform cannot make wait, found at load time so the test refuses to start
 * (with file:line) instead of failing in every iteration. A function that must become async is
 * safe only where every use of it is a call the transform awaits: called directly, exported (the
 * engine awaits exported functions), a group() callback, or an object or class method. Handed to
 * code the transform cannot rewrite (Array.prototype.forEach/map, a check predicate, a timer),
 * its promise would be dropped and the k6 call would not block.
 */
import type * as ES from 'estree';
import { describeCallee, type BlockingAnalysis } from './find-blocking-functions.ts';
import type { ScriptGraph } from './script-graph.ts';
import type { Positioned, ScriptFunction, ScriptModule } from './script-module.ts';

const HINT = 'call it directly from the iteration (a for...of loop instead of forEach/map), as k6 blocks only there';

export function findUnwaitableCalls(graph: ScriptGraph, analysis: BlockingAnalysis): string[] {
  const problems: string[] = [];
  const made = new Set(analysis.madeAsync);
  const groupCalls = new Set<ES.Node>();
  for (const [call, target] of analysis.targets) if (target.kind === 'group') groupCalls.add(call.node);
  const isGroupCallback = (call: ES.Node | undefined, arg: ES.Node): boolean =>
    call?.type === 'CallExpression' && call.arguments[1] === arg && groupCalls.has(call);
  for (const fn of analysis.madeAsync) {
    const mod = fn.module;
    const parent = mod.parents.get(fn.node);
    const blocking = `it makes a blocking k6 call (${fn.reason})`;
    const at = mod.where(fn.node.start);
    if (fn.node.generator) {
      problems.push(`${at}: a generator function cannot wait for a k6 call, but ${blocking}`);
      continue;
    }
    if (parent?.type === 'Property' || parent?.type === 'MethodDefinition') {
      if (parent.kind === 'get' || parent.kind === 'set' || parent.kind === 'constructor') {
        problems.push(`${at}: a ${parent.kind === 'constructor' ? 'constructor' : 'getter or setter'} cannot wait for a k6 call, but ${blocking}; make it a method`);
        continue;
      }
      // A method is awaited where it is called by name; an object literal handed straight to
      // other code (check's predicates) has its functions called where the transform cannot see.
      const holder = mod.parents.get(parent);
      const holderParent = holder && mod.parents.get(holder);
      if (holder?.type === 'ClassBody' || holderParent?.type === 'VariableDeclarator' || holderParent?.type === 'ExportDefaultDeclaration') continue;
      problems.push(`${at}: this function is a property of an object ${usage(mod, holderParent)}, where the engine cannot wait for it, but ${blocking}; ${HINT}`);
      continue;
    }
    // A class field holding an arrow (`get = (u) => http.get(u)`) is called as a method.
    if (fn.node.type === 'FunctionDeclaration' || parent?.type === 'ExportDefaultDeclaration' || parent?.type === 'PropertyDefinition') continue;
    if (parent?.type === 'VariableDeclarator' && parent.init === fn.node) continue;
    if (parent?.type === 'CallExpression' && parent.callee === fn.node) continue;
    if (isGroupCallback(parent, fn.node)) continue;
    problems.push(`${at}: this function is ${usage(mod, parent)}, where the engine cannot wait for it, but ${blocking}; ${HINT}`);
  }
  for (const mod of graph.modules.values()) {
    // A helper that makes requests, called in the init context: k6 refuses the request there; here
    // the call would return a promise that rejects with no one to hear it.
    for (const call of mod.calls) {
      // `await` is not allowed in a parameter's default value, even in an async function.
      const owner = call.owner;
      if (owner && (owner.node.async || made.has(owner)) && call.node.start < (owner.node.body as Positioned).start && analysis.blocks(call)) {
        problems.push(`${mod.where(call.node.start)}: ${describeCallee(call)} in a parameter's default value cannot be made to wait; make the call in the function's body`);
        continue;
      }
      const target = analysis.targets.get(call);
      if (call.owner || target?.kind !== 'function' || !made.has(target.fn) || !analysis.blocks(call)) continue;
      problems.push(`${mod.where(call.node.start)}: ${describeCallee(call)} is called in the init context, but ${describe(target.fn)}; k6 does not allow that either: call it from setup() or the default function`);
    }
    for (const scope of mod.scopes.scopes) {
      for (const variable of scope.variables) {
        const value = analysis.resolver.variableValue(mod, variable);
        if (value?.kind !== 'function' || !made.has(value.fn)) continue;
        for (const ref of variable.references) {
          if (ref.isWrite()) continue;
          const id = ref.identifier as ES.Identifier & { start: number };
          const p = mod.parents.get(id);
          if (p?.type === 'CallExpression' && p.callee === id) continue;
          if (p?.type === 'ExportSpecifier' || (p?.type === 'VariableDeclarator' && p.init === id)) continue;
          if (isGroupCallback(p, id)) continue;
          problems.push(`${mod.where(id.start)}: \`${id.name}\` is ${usage(mod, p)}, where the engine cannot wait for it, but ${describe(value.fn)}; ${HINT}`);
        }
      }
    }
  }
  return problems;
}

function describe(fn: ScriptFunction): string {
  return `it makes a blocking k6 call (${fn.reason} in ${fn.module.displayName})`;
}

function usage(mod: ScriptModule, parent: ES.Node | undefined): string {
  if (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') {
    const c = parent.callee as ES.Node & { start: number; end: number };
    const text = mod.source.slice(c.start, c.end);
    return `passed to \`${text.length > 40 ? `${text.slice(0, 37)}...` : text}()\``;
  }
  return 'used as a value';
}
