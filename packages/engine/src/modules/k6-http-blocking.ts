/**
 * k6/http's blocking calls (get, post, …, request, batch). The script calls them as k6 scripts
 * do; the load-time transform (src/transform/) turns each call into an awaited call of the
 * function's BLOCKING variant, which returns a promise of the Response. A direct call means code
 * the transform did not see (a request in the init context, code built at run time): it fails
 * with a message rather than returning a promise where the script expects a Response.
 */
import { withBlockingVariant } from './blocking-apis.ts';
import { UnsupportedApiError } from './script-errors.ts';
import type { ModuleVu } from './module-vu.ts';

/** What the blocking calls use of their VU (module-vu.ts). */
export type BlockingHttpVu = Pick<ModuleVu, 'phase'>;
import type { K6Response } from './http-response.ts';

type Request = (method: unknown, url: unknown, body?: unknown, params?: unknown) => Promise<K6Response>;

export function createBlockingHttpFunctions(vu: BlockingHttpVu, request: Request): Record<string, unknown> {
  const blocking = <A extends unknown[]>(name: string, awaitable: (...args: A) => Promise<unknown>) =>
    withBlockingVariant((..._args: A): never => {
      if (vu.phase === 'init') throw new Error('Making http requests in the init context is not supported');
      throw new UnsupportedApiError(
        `http.${name}() was called where the perf-lab engine could not make the script wait for it (code built at run time, or reached in a way the load-time transform cannot follow); ` +
          `call it from the exported functions or the helpers they call, or use \`await http.asyncRequest(...)\` in an async function`,
      );
    }, awaitable);
  const withBody = (method: string) => (url: unknown, body?: unknown, params?: unknown) => request(method, url, body, params);
  const noBody = (method: string) => (url: unknown, params?: unknown) => request(method, url, null, params);
  return {
    request: blocking('request', request),
    get: blocking('get', noBody('GET')),
    head: blocking('head', noBody('HEAD')),
    post: blocking('post', withBody('POST')),
    put: blocking('put', withBody('PUT')),
    patch: blocking('patch', withBody('PATCH')),
    del: blocking('del', withBody('DELETE')),
    options: blocking('options', withBody('OPTIONS')),
    batch: blocking('batch', (requests: unknown) => batch(request, requests)),
  };
}

/** k6's http.batch: an array or object of requests (URL strings, [method, url, body, params]
 * arrays or {method, url, body, params} objects), sent in parallel; responses in the same shape. */
async function batch(request: Request, requests: unknown): Promise<unknown> {
  if (requests === null || typeof requests !== 'object') throw new TypeError('http.batch() takes an array or an object of requests');
  const one = (r: unknown): Promise<K6Response> => {
    if (typeof r === 'string') return request('GET', r, null, undefined);
    if (Array.isArray(r)) return request(r[0], r[1], r[2] ?? null, r[3]);
    if (r !== null && typeof r === 'object') {
      const o = r as { method?: unknown; url?: unknown; body?: unknown; params?: unknown };
      return request(o.method ?? 'GET', o.url, o.body ?? null, o.params);
    }
    return Promise.reject(new TypeError(`http.batch(): a request must be a URL, an array or an object, not ${String(r)}`));
  };
  if (Array.isArray(requests)) return Promise.all(requests.map(one));
  const entries = Object.entries(requests);
  const responses = await Promise.all(entries.map(([, r]) => one(r)));
  return Object.fromEntries(entries.map(([k], i) => [k, responses[i]]));
}
