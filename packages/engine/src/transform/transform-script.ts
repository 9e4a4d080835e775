/**
 * The load-time transform that lets k6 scripts written in k6's synchronous style run on async
 * VUs: every function that can reach a blocking k6 call (http.get, sleep, a group whose callback
 * makes requests, a helper that does) becomes async and its calls are awaited, across the whole
 * local module graph. Returns the rewritten sources by file URL (modules that need no change are
 * absent); refuses, with every file:line, a script whose blocking calls cannot be made to wait.
 */
import { pathToFileURL } from 'node:url';
import { findBlockingFunctions } from './find-blocking-functions.ts';
import { findUnwaitableCalls } from './find-unwaitable-calls.ts';
import { rewriteModule } from './rewrite-module.ts';
import { ScriptGraph } from './script-graph.ts';

export class ScriptTransformError extends Error {
  override readonly name = 'ScriptTransformError';
}

export function transformScript(entry: string): Map<string, string> {
  const out = new Map<string, string>();
  // TypeScript and other sources go through Node's (or tsx's) loaders untouched; bundle them first.
  if (!/\.(m?js)$/.test(entry)) return out;
  let graph: ScriptGraph;
  try {
    graph = new ScriptGraph(entry);
  } catch (err) {
    if (!(err instanceof SyntaxError) && (err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    throw new ScriptTransformError((err as Error).message);
  }
  const analysis = findBlockingFunctions(graph);
  const problems = findUnwaitableCalls(graph, analysis);
  if (problems.length > 0) {
    throw new ScriptTransformError(`the script makes blocking k6 calls where the engine cannot wait for them:\n  ${[...new Set(problems)].join('\n  ')}`);
  }
  for (const mod of graph.modules.values()) {
    const source = rewriteModule(mod, analysis);
    if (source !== undefined) out.set(pathToFileURL(mod.path).href, source);
  }
  return out;
}
