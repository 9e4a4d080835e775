/**
 * Which of the script's functions can reach a blocking k6 call (and so must become async), and
 * which calls must be awaited. A fixed point over the call graph: a function blocks if one of
 * its own calls is a blocking k6 API, a group() whose callback blocks, or a call to a function
 * that blocks. Functions the script wrote as async are left alone: calling one without await
 * is the script's choice, as in k6.
 */
import type { BlockingApi } from '../modules/blocking-apis.ts';
import { propertyName, ValueResolver } from './resolve-value.ts';
import type { ScriptGraph } from './script-graph.ts';
import type { Positioned, ScriptCall, ScriptFunction } from './script-module.ts';

export type CallTarget =
  | { kind: 'api'; api: BlockingApi }
  | { kind: 'group'; callback: ScriptFunction | undefined }
  | { kind: 'function'; fn: ScriptFunction }
  /** `x.name()` on a receiver the transform cannot resolve: blocks if a method of that name does. */
  | { kind: 'method'; name: string };

export interface BlockingAnalysis {
  readonly resolver: ValueResolver;
  readonly targets: Map<ScriptCall, CallTarget>;
  /** Whether a call must be awaited (given that it sits in a function that is or becomes async). */
  blocks(call: ScriptCall): boolean;
  /** Functions that block and are not async yet: the transform makes them async. */
  readonly madeAsync: ScriptFunction[];
}

export function findBlockingFunctions(graph: ScriptGraph): BlockingAnalysis {
  const resolver = new ValueResolver(graph);
  const targets = new Map<ScriptCall, CallTarget>();
  const functions: ScriptFunction[] = [];
  for (const mod of graph.modules.values()) {
    functions.push(...mod.functions.values());
    for (const call of mod.calls) {
      const target = classify(resolver, call);
      if (target) targets.set(call, target);
    }
  }
  const blockingMethods = new Set<string>();
  const becomesAsync = (fn: ScriptFunction): boolean => fn.blocks && !fn.node.async;
  const blocks = (call: ScriptCall): boolean => {
    const t = targets.get(call);
    if (!t) return false;
    if (t.kind === 'api') return true;
    if (t.kind === 'group') return t.callback !== undefined && becomesAsync(t.callback);
    if (t.kind === 'function') return becomesAsync(t.fn);
    return blockingMethods.has(t.name);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of functions) {
      if (fn.blocks) continue;
      const call = fn.calls.find(blocks);
      if (!call) continue;
      fn.blocks = true;
      fn.reason = `${describeCallee(call)} at line ${fn.module.line(call.node.start)}`;
      if (fn.methodName !== undefined && !fn.node.async) blockingMethods.add(fn.methodName);
      changed = true;
    }
  }
  return { resolver, targets, blocks, madeAsync: functions.filter(becomesAsync) };
}

function classify(resolver: ValueResolver, call: ScriptCall): CallTarget | undefined {
  const callee = call.node.callee;
  if (callee.type === 'Super') return undefined;
  const module = call.module;
  const value = resolver.valueOf(module, callee);
  if (value?.kind === 'api') {
    if (value.api.name !== 'group') return { kind: 'api', api: value.api };
    const arg = call.node.arguments[1];
    const cb = arg && arg.type !== 'SpreadElement' ? resolver.valueOf(module, arg) : undefined;
    return { kind: 'group', callback: cb?.kind === 'function' ? cb.fn : undefined };
  }
  if (value?.kind === 'function') return { kind: 'function', fn: value.fn };
  if (value === undefined && callee.type === 'MemberExpression') {
    const name = propertyName(callee);
    if (name !== undefined) return { kind: 'method', name };
  }
  return undefined;
}

export function describeCallee(call: ScriptCall): string {
  const c = call.node.callee as Positioned<typeof call.node.callee>;
  const text = call.module.source.slice(c.start, c.end);
  return `${text.length > 40 ? `${text.slice(0, 37)}...` : text}()`;
}
