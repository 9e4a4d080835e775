/**
 * The k6 modules the engine provides and the names each one exports. The loader hook runs in
 * Node's loader thread, so it cannot look at the live module objects: it generates re-export
 * stubs from this table (a test keeps it in sync with the implementations).
 */
export const K6_MODULE_EXPORTS = {
  k6: ['check', 'fail', 'group', 'sleep', 'randomSeed'],
  'k6/http': [
    'asyncRequest', 'request', 'get', 'post', 'put', 'patch', 'del', 'head', 'options', 'batch',
    'url', 'expectedStatuses', 'setResponseCallback', 'file', 'cookieJar',
    'TLS_1_0', 'TLS_1_1', 'TLS_1_2', 'TLS_1_3',
  ],
  'k6/metrics': ['Counter', 'Gauge', 'Rate', 'Trend'],
  'k6/execution': ['vu', 'scenario', 'instance', 'test'],
  'k6/data': ['SharedArray'],
  'k6/timers': ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
  'k6/encoding': ['b64encode', 'b64decode'],
  'k6/crypto': ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'hmac', 'randomBytes', 'createHash', 'createHMAC'],
  /** Stands in for the k6-summary jslib so scripts need not import it from the internet. */
  'jslib/k6-summary': ['textSummary', 'jUnit'],
  /** Per-VU globals (__VU, __ITER, __ENV, console, open) injected into the script's scope. */
  globals: ['__VU', '__ITER', '__ENV', 'console', 'open'],
} as const satisfies Record<string, readonly string[]>;

export type K6ModuleName = keyof typeof K6_MODULE_EXPORTS;

/** Remote jslib URLs we can serve locally instead of fetching them. */
export const REMOTE_ALIASES: ReadonlyArray<readonly [RegExp, K6ModuleName]> = [
  [/^https:\/\/jslib\.k6\.io\/k6-summary\/[^/]+\/index\.js$/, 'jslib/k6-summary'],
];

/** Query parameters that mark a module as belonging to one VU of one run. */
export const RUN_PARAM = 'perf-lab-run';
export const VU_PARAM = 'perf-lab-vu';
export const K6_SCHEME = 'perf-lab-k6:';
export const BRIDGE_KEY = 'perf-lab.engine.bridge';
