/**
 * `run` flags with k6's names and short forms. Pure: argv in, a typed command out, or a
 * UsageError that says what to change.
 */
import { parseDurationMs } from '../config/duration.ts';
import type { OptionOverrides, StageInput } from '../config/k6-options.ts';
import type { HttpClientKind } from '../http/client-config.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface RunCommand {
  script: string;
  env: Record<string, string>;
  overrides: OptionOverrides;
  out: string[];
  summaryExport?: string;
  workers?: number;
  httpClient?: HttpClientKind;
  quiet: boolean;
  noSummary: boolean;
  noThresholds: boolean;
  includeSystemEnv: boolean;
}

type Handler = (cmd: RunCommand, value: string) => void;

const int = (flag: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a non-negative integer, got "${v}"`);
  return n;
};
const keyValue = (flag: string, v: string): [string, string] => {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} expects KEY=VALUE, got "${v}"`);
  return [v.slice(0, eq), v.slice(eq + 1)];
};
const bool = (flag: string, v: string): boolean => {
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw new UsageError(`${flag} expects true or false, got "${v}"`);
};
const duration = (flag: string, v: string): string => {
  try {
    parseDurationMs(v, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return v;
};

const WITH_VALUE: Readonly<Record<string, Handler>> = {
  '--env': (c, v) => {
    const [k, val] = keyValue('--env', v);
    c.env[k] = val;
  },
  '--vus': (c, v) => (c.overrides.vus = int('--vus', v)),
  '--duration': (c, v) => (c.overrides.duration = duration('--duration', v)),
  '--iterations': (c, v) => (c.overrides.iterations = int('--iterations', v)),
  '--stage': (c, v) => {
    const [d, t] = v.split(':');
    if (!d || t === undefined) throw new UsageError(`--stage expects DURATION:TARGET, got "${v}"`);
    const stage: StageInput = { duration: duration('--stage', d), target: int('--stage', t) };
    c.overrides.stages = [...(c.overrides.stages ?? []), stage];
  },
  '--out': (c, v) => c.out.push(v),
  '--summary-export': (c, v) => (c.summaryExport = v),
  '--execution-segment': (c, v) => (c.overrides.executionSegment = v),
  '--execution-segment-sequence': (c, v) => (c.overrides.executionSegmentSequence = v),
  '--workers': (c, v) => (c.workers = Math.max(1, int('--workers', v))),
  '--http-client': (c, v) => {
    if (v !== 'http1' && v !== 'undici') throw new UsageError(`--http-client expects http1 or undici, got "${v}"`);
    c.httpClient = v;
  },
  '--summary-trend-stats': (c, v) => (c.overrides.summaryTrendStats = v.split(',').map((s) => s.trim())),
  '--tag': (c, v) => {
    const [k, val] = keyValue('--tag', v);
    c.overrides.tags = { ...(c.overrides.tags ?? {}), [k]: val };
  },
  '--user-agent': (c, v) => (c.overrides.userAgent = v),
  '--max-redirects': (c, v) => (c.overrides.maxRedirects = int('--max-redirects', v)),
};

const BOOLEAN: Readonly<Record<string, Handler>> = {
  '--quiet': (c, v) => (c.quiet = bool('--quiet', v)),
  '--no-summary': (c, v) => (c.noSummary = bool('--no-summary', v)),
  '--no-thresholds': (c, v) => (c.noThresholds = bool('--no-thresholds', v)),
  '--no-setup': (c, v) => (c.overrides.noSetup = bool('--no-setup', v)),
  '--no-teardown': (c, v) => (c.overrides.noTeardown = bool('--no-teardown', v)),
  '--insecure-skip-tls-verify': (c, v) => (c.overrides.insecureSkipTLSVerify = bool('--insecure-skip-tls-verify', v)),
  '--no-connection-reuse': (c, v) => (c.overrides.noConnectionReuse = bool('--no-connection-reuse', v)),
  '--include-system-env-vars': (c, v) => (c.includeSystemEnv = bool('--include-system-env-vars', v)),
  '--throw': (c, v) => (c.overrides.throw = bool('--throw', v)),
};

const SHORT: Readonly<Record<string, string>> = { '-e': '--env', '-u': '--vus', '-d': '--duration', '-i': '--iterations', '-s': '--stage', '-o': '--out', '-q': '--quiet', '-w': '--throw' };

export function parseRunArgs(argv: readonly string[]): RunCommand {
  const cmd: RunCommand = { script: '', env: {}, overrides: {}, out: [], quiet: false, noSummary: false, noThresholds: false, includeSystemEnv: true };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const name = SHORT[rawName] ?? rawName;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    const valued = WITH_VALUE[name];
    if (valued) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      valued(cmd, value);
      continue;
    }
    const flag = BOOLEAN[name];
    if (!flag) throw new UsageError(`unknown flag ${rawName} (see --help)`);
    flag(cmd, inline ?? '');
  }
  if (positional.length !== 1) throw new UsageError('expected exactly one script: run [flags] <script.js>');
  cmd.script = positional[0] as string;
  return cmd;
}

export const RUN_HELP = `Usage: run [flags] <script.js|script.ts>

Runs a k6 script with the perf-lab engine (k6's flag names and exit codes), written as for k6
(synchronous http.get, sleep, group…); a .ts script is bundled with esbuild first.

  -u, --vus N                       VUs (with -d: constant-vus; with -i: shared-iterations)
  -d, --duration D                  test duration, e.g. 30s, 1m30s
  -i, --iterations N                total iterations shared by the VUs
  -s, --stage D:T                   ramping-vus stage (repeatable)
  -e, --env K=V                     __ENV variable (repeatable)
      --tag K=V                     tag added to every sample (repeatable)
  -o, --out json=FILE               every sample as k6's JSON lines (Metric + Point)
      --out csv=FILE                every sample as k6's CSV (K6_CSV_TIME_FORMAT)
      --out json-aggregate=FILE     the same JSON lines aggregated per second and series
      --out experimental-prometheus-rw  Prometheus remote write (K6_PROMETHEUS_RW_SERVER_URL,
                                    _PUSH_INTERVAL, _TREND_STATS; not with --workers)
      --out partial=DIR             this segment's mergeable result (perf-lab merge DIR…)
      --summary-export FILE         k6's legacy end-of-test JSON
      --summary-trend-stats LIST    e.g. "avg,p(95),p(99.9)"
      --execution-segment S         run only this part, e.g. 1/3:2/3
      --execution-segment-sequence  e.g. 0,1/3,2/3,1
      --workers N                   split the test over N processes
      --http-client http1|undici    client for http: URLs (default http1, the engine's own;
                                    https: always goes through undici)
      --no-thresholds, --no-summary, --no-setup, --no-teardown
  -w, --throw                       a request without a response throws instead of logging
                                    "Request Failed" (the engine prints the first 10 of those
                                    warnings, then a count every 10 s)
      --include-system-env-vars=false   keep the shell environment out of __ENV
  -q, --quiet                       no progress line

Exit codes: 0 ok, 99 thresholds failed, 100/101 setup/teardown timeout, 104 invalid
configuration or flags, 105 interrupted, 107 script exception, 108 test.abort(), 110 test.fail().`;
