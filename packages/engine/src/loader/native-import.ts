/**
 * `import()` that always goes to Node's own loader. Test runners such as vitest rewrite `import()`
 * in source files to their own module runner, which knows nothing of our k6 hooks; a function
 * compiled at run time escapes that rewrite.
 */
import vm from 'node:vm';

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

let importer: Importer | undefined;

export async function nativeImport(specifier: string): Promise<Record<string, unknown>> {
  if (importer) return importer(specifier);
  const viaFunction = new Function('s', 'return import(s)') as Importer;
  try {
    const ns = await viaFunction(specifier);
    importer = viaFunction;
    return ns;
  } catch (err) {
    // Inside a vm-evaluated module (vitest) a plain Function has no import callback; Node's
    // main-context loader can still be asked for explicitly.
    if (!(err instanceof TypeError) || !/dynamic import callback/i.test(err.message)) throw err;
  }
  const constants = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants;
  const loader = constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!loader) throw new Error('this Node.js cannot import scripts from inside a vm context; run the engine with tsx or node');
  const compiled = vm.compileFunction('return import(s)', ['s'], {
    importModuleDynamically: loader as unknown as never,
  }) as Importer;
  importer = compiled;
  return compiled(specifier);
}
