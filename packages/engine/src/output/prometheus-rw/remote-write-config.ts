/**
 * The `experimental-prometheus-rw` output's settings, from k6's environment variables:
 * K6_PROMETHEUS_RW_SERVER_URL (default http://localhost:9090/api/v1/write),
 * K6_PROMETHEUS_RW_PUSH_INTERVAL (default 5s), K6_PROMETHEUS_RW_TREND_STATS (default p(99)),
 * K6_PROMETHEUS_RW_HEADERS_<name>, K6_PROMETHEUS_RW_USERNAME / _PASSWORD (basic auth).
 * Read from the environment the caller hands the run (the CLI passes the process's), never
 * from process.env here.
 */
import { parseDurationMs } from '../../config/duration.ts';
import { parsePercentileMethod } from '../../metrics/trend-sink.ts';

export interface TrendStat {
  /** As configured: "p(99)", "avg"… */
  readonly stat: string;
  /** The series-name suffix k6 gives it: p(99) → p99, p(99.9) → p999, avg → avg. */
  readonly suffix: string;
}

export interface RemoteWriteConfig {
  readonly url: string;
  readonly pushIntervalMs: number;
  readonly trendStats: readonly TrendStat[];
  readonly headers: Readonly<Record<string, string>>;
}

const PLAIN_STATS = new Set(['avg', 'min', 'max', 'med', 'count', 'sum']);

export function trendStat(stat: string): TrendStat {
  const s = stat.trim();
  if (PLAIN_STATS.has(s)) return { stat: s, suffix: s };
  if (parsePercentileMethod(s) !== undefined) return { stat: s, suffix: `p${s.slice(2, -1).replaceAll('.', '')}` };
  throw new Error(`K6_PROMETHEUS_RW_TREND_STATS: unknown trend stat "${s}" — use avg, min, max, med, count, sum or p(N), e.g. "p(95),p(99),avg"`);
}

export function remoteWriteConfig(env: Readonly<Record<string, string>>): RemoteWriteConfig {
  const url = env.K6_PROMETHEUS_RW_SERVER_URL ?? 'http://localhost:9090/api/v1/write';
  try {
    new URL(url);
  } catch {
    throw new Error(`K6_PROMETHEUS_RW_SERVER_URL is not a URL: "${url}" — e.g. http://127.0.0.1:9090/api/v1/write`);
  }
  const pushIntervalMs = parseDurationMs(env.K6_PROMETHEUS_RW_PUSH_INTERVAL ?? '5s', 'K6_PROMETHEUS_RW_PUSH_INTERVAL');
  if (pushIntervalMs <= 0) throw new Error('K6_PROMETHEUS_RW_PUSH_INTERVAL must be positive, e.g. 5s');
  const trendStats = (env.K6_PROMETHEUS_RW_TREND_STATS ?? 'p(99)').split(',').filter((s) => s.trim() !== '').map(trendStat);
  if (trendStats.length === 0) throw new Error('K6_PROMETHEUS_RW_TREND_STATS is empty — e.g. "p(95),p(99),avg"');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('K6_PROMETHEUS_RW_HEADERS_')) headers[k.slice('K6_PROMETHEUS_RW_HEADERS_'.length)] = v;
  const user = env.K6_PROMETHEUS_RW_USERNAME;
  if (user !== undefined) headers.Authorization = `Basic ${Buffer.from(`${user}:${env.K6_PROMETHEUS_RW_PASSWORD ?? ''}`).toString('base64')}`;
  return Object.freeze({ url, pushIntervalMs, trendStats: Object.freeze(trendStats), headers: Object.freeze(headers) });
}
