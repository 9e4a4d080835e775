/**
 * The k6 calls that block a VU in k6 (an HTTP request, a sleep) and what the load-time transform
 * calls instead. A blocking function of the engine's k6 modules carries, under BLOCKING, a variant
 * that returns a promise; the transform rewrites `http.get(url)` to
 * `(await http.get[Symbol.for(BLOCKING_KEY)](url))`. Called directly (code the transform did not
 * see), the function itself refuses, so a missed call fails loudly instead of returning a promise.
 */
export const BLOCKING_KEY = 'perf-lab.k6.blocking';
export const BLOCKING: unique symbol = Symbol.for(BLOCKING_KEY) as never;

/** k6/http functions that block until the response is in. */
export const BLOCKING_HTTP_FUNCTIONS = ['request', 'get', 'post', 'put', 'patch', 'del', 'head', 'options', 'batch'] as const;

/** k6 functions: sleep blocks; group blocks when its callback does. */
export const BLOCKING_CORE_FUNCTIONS = ['sleep', 'group'] as const;

export type BlockingApi = { module: 'k6/http'; name: (typeof BLOCKING_HTTP_FUNCTIONS)[number] } | { module: 'k6'; name: (typeof BLOCKING_CORE_FUNCTIONS)[number] };

export function blockingApi(module: string, name: string): BlockingApi | undefined {
  if (module === 'k6/http' && (BLOCKING_HTTP_FUNCTIONS as readonly string[]).includes(name)) return { module, name: name as BlockingApi['name'] as never };
  if (module === 'k6' && (BLOCKING_CORE_FUNCTIONS as readonly string[]).includes(name)) return { module, name: name as never };
  return undefined;
}

/** A function with the awaitable variant the transformed script calls. */
export function withBlockingVariant<F extends (...args: never[]) => unknown>(direct: F, awaitable: (...args: Parameters<F>) => unknown): F {
  Object.defineProperty(direct, BLOCKING, { value: awaitable });
  return direct;
}
