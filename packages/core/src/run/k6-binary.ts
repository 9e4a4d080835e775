import type { TimeSeriesPoint } from './run-record.ts';

/**
 * For users who run their own k6: the command line perf-lab would hand it, and the reading of
 * its `--out json` lines into the same per-second series the embedded engine produces.
 * (k6 is not installed here; only this translation is tested.)
 */
export interface K6Invocation {
  readonly binary: string;
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly consoleOutput: string;
  readonly jsonOut: string;
}

export function k6CommandLine(inv: K6Invocation): string[] {
  return [
    inv.binary, 'run', '--quiet',
    ...Object.entries(inv.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    '--console-output', inv.consoleOutput,
    '--out', `json=${inv.jsonOut}`,
    inv.script,
  ];
}

interface Bucket {
  requests: number;
  failures: number;
  durations: number[];
  /** Last `vus` sample in the bucket; undefined carries the previous second's value forward. */
  vus: number | undefined;
}

/** Aggregates k6 JSON output (one Point per line) into one-second buckets. */
export function timeSeriesFromK6Json(lines: Iterable<string>): TimeSeriesPoint[] {
  const buckets = new Map<number, Bucket>();
  let start: number | undefined;
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let entry: { type?: string; metric?: string; data?: { time?: string; value?: number } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.type !== 'Point' || !entry.data?.time || entry.data.value === undefined) continue;
    const at = Date.parse(entry.data.time);
    start ??= at;
    const second = Math.max(0, Math.floor((at - start) / 1000));
    let b = buckets.get(second);
    if (!b) buckets.set(second, (b = { requests: 0, failures: 0, durations: [], vus: undefined }));
    if (entry.metric === 'http_reqs') b.requests += entry.data.value;
    else if (entry.metric === 'http_req_failed') b.failures += entry.data.value;
    else if (entry.metric === 'http_req_duration') b.durations.push(entry.data.value);
    else if (entry.metric === 'vus') b.vus = entry.data.value;
  }
  const last = Math.max(-1, ...buckets.keys());
  const points: TimeSeriesPoint[] = [];
  for (let s = 0; s <= last; s++) {
    const b = buckets.get(s);
    const sorted = b ? [...b.durations].sort((x, y) => x - y) : [];
    points.push({
      t: s + 1,
      requests: b?.requests ?? 0,
      p95Ms: sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! : null,
      vus: b?.vus ?? points.at(-1)?.vus ?? 0,
      systemFailures: b?.failures ?? 0,
    });
  }
  return points;
}
