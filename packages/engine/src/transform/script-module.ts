/**
 * One module of the script's graph, parsed (acorn) and scope-analysed (eslint-scope): its
 * functions, its calls with the function each sits in, and where each identifier resolves.
 */
import { parse } from 'acorn';
import { analyze, type ScopeManager, type Variable } from 'eslint-scope';
import type * as ES from 'estree';

export type Positioned<T extends ES.Node = ES.Node> = T & { start: number; end: number };
export type FunctionNode = ES.FunctionDeclaration | ES.FunctionExpression | ES.ArrowFunctionExpression;

export interface ScriptFunction {
  readonly node: Positioned<FunctionNode>;
  readonly module: ScriptModule;
  /** The method's name when the function is an object-literal or class method. */
  readonly methodName: string | undefined;
  /** Calls in its own body (not in nested functions). */
  readonly calls: ScriptCall[];
  /** It contains a blocking call, directly or through the functions it calls. */
  blocks: boolean;
  /** Why it blocks: the first blocking call found in it, as "http.get() at line 12". */
  reason: string;
}

export interface ScriptCall {
  readonly node: Positioned<ES.CallExpression>;
  readonly module: ScriptModule;
  /** The function the call sits in; undefined at the top level (k6's init context). */
  readonly owner: ScriptFunction | undefined;
}

export class ScriptModule {
  readonly ast: Positioned<ES.Program>;
  readonly scopes: ScopeManager;
  readonly parents = new Map<ES.Node, ES.Node>();
  readonly functions = new Map<ES.Node, ScriptFunction>();
  readonly calls: ScriptCall[] = [];
  /** Every identifier that is a reference, to the variable it resolves to. */
  readonly resolved = new Map<ES.Node, Variable>();
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly path: string,
    readonly displayName: string,
    readonly source: string,
  ) {
    this.ast = parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, ranges: true }) as unknown as Positioned<ES.Program>;
    this.scopes = analyze(this.ast, { ecmaVersion: 2022, sourceType: 'module' });
    for (const scope of this.scopes.scopes) {
      for (const ref of scope.references) if (ref.resolved) this.resolved.set(ref.identifier as ES.Node, ref.resolved);
    }
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    this.walk(this.ast, undefined, undefined);
  }

  /** "file.js:12:5" for a source offset. */
  where(offset: number): string {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return `${this.displayName}:${lo + 1}:${offset - (this.lineStarts[lo] as number) + 1}`;
  }

  line(offset: number): number {
    return Number(this.where(offset).split(':').at(-2));
  }

  moduleVariable(name: string): Variable | undefined {
    const moduleScope = this.scopes.globalScope?.childScopes.find((s) => s.type === 'module');
    return moduleScope?.set.get(name);
  }

  private walk(node: ES.Node, parent: ES.Node | undefined, owner: ScriptFunction | undefined): void {
    if (parent) this.parents.set(node, parent);
    let inner = owner;
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      const fn: ScriptFunction = { node: node as Positioned<FunctionNode>, module: this, methodName: methodNameOf(parent, node), calls: [], blocks: false, reason: '' };
      this.functions.set(node, fn);
      inner = fn;
    } else if (node.type === 'CallExpression') {
      const call: ScriptCall = { node: node as Positioned<ES.CallExpression>, module: this, owner };
      this.calls.push(call);
      owner?.calls.push(call);
    }
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'loc' || key === 'range') continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const v of value) if (isNode(v)) this.walk(v, node, inner);
      } else if (isNode(value)) {
        this.walk(value, node, inner);
      }
    }
  }
}

function isNode(v: unknown): v is ES.Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function methodNameOf(parent: ES.Node | undefined, fn: ES.Node): string | undefined {
  if (!parent) return undefined;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.value === fn && !parent.computed) {
    const key = parent.key;
    if (key.type === 'Identifier') return key.name;
    if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  }
  return undefined;
}
