/**
 * The transform's edits to one module, all insertions within a line, so line numbers in stack
 * traces stay those of the script as written (columns shift by the inserted words):
 * `async ` before each function that must wait, `await` around each call that blocks, and the
 * awaitable variant of each blocking k6 API (`http.get[Symbol.for(…)](…)`).
 */
import type * as ES from 'estree';
import { BLOCKING_KEY } from '../modules/blocking-apis.ts';
import type { BlockingAnalysis } from './find-blocking-functions.ts';
import type { Positioned, ScriptFunction, ScriptModule } from './script-module.ts';

interface Insertion {
  at: number;
  /** Among insertions at one offset: opening parentheses of wider calls first, closing ones of narrower calls first. */
  order: number;
  text: string;
}

/** The symbol, looked up once per module rather than on every call; a hashbang line must stay
 * first, so such a module looks it up where it is used. */
const SYMBOL_NAME = '__perfLab$blocking';
const DECLARE_SYMBOL = `const ${SYMBOL_NAME} = Symbol.for(${JSON.stringify(BLOCKING_KEY)});`;

/** The module's source rewritten, or undefined when nothing in it blocks. */
export function rewriteModule(mod: ScriptModule, analysis: BlockingAnalysis): string | undefined {
  const made = new Set(analysis.madeAsync);
  const edits: Insertion[] = [];
  const hashbang = mod.source.startsWith('#!');
  const variant = hashbang ? `[Symbol.for(${JSON.stringify(BLOCKING_KEY)})]` : `[${SYMBOL_NAME}]`;
  for (const fn of analysis.madeAsync) if (fn.module === mod) edits.push({ at: asyncOffset(mod, fn), order: -Number.MAX_VALUE, text: 'async ' });
  for (const call of mod.calls) {
    const owner = call.owner;
    if (!owner || !(owner.node.async || made.has(owner)) || !analysis.blocks(call)) continue;
    const node = call.node;
    const target = analysis.targets.get(call);
    if (target?.kind === 'api' || target?.kind === 'group') edits.push({ at: (node.callee as Positioned).end, order: 0, text: variant });
    const span = node.end - node.start;
    const parent = mod.parents.get(node);
    if (parent?.type === 'ExpressionStatement' && parent.expression === node) {
      edits.push({ at: node.start, order: -span, text: 'await ' });
    } else {
      // Parenthesised: `(await f()).json()` and `a ** (await f())` keep their meaning.
      edits.push({ at: node.start, order: -span, text: '(await ' }, { at: node.end, order: span, text: ')' });
    }
  }
  if (edits.length === 0) return undefined;
  // On the first line, so line numbers stay those of the script.
  if (!hashbang && edits.some((e) => e.text === variant)) edits.push({ at: 0, order: -Infinity, text: DECLARE_SYMBOL });
  edits.sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let last = 0;
  for (const e of edits) {
    out += mod.source.slice(last, e.at) + e.text;
    last = e.at;
  }
  return out + mod.source.slice(last);
}

/** Where `async` goes: before `function`/the arrow's parameters, or before a method's name. */
function asyncOffset(mod: ScriptModule, fn: ScriptFunction): number {
  const parent = mod.parents.get(fn.node) as Positioned | undefined;
  if (parent?.type === 'Property' && (parent as unknown as ES.Property).method) return parent.start;
  if (parent?.type === 'MethodDefinition') {
    const m = parent as unknown as ES.MethodDefinition & { key: Positioned };
    if (!m.computed) return m.key.start;
    return mod.source.lastIndexOf('[', m.key.start);
  }
  return fn.node.start;
}
