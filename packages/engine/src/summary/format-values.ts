/** How k6 prints values in its text summary: durations, bytes (SI), percentages, rates. */
import type { SummaryMetric } from '../metrics/metric-types.ts';

export function formatDuration(ms: number, unit?: string): string {
  if (unit) {
    const div: Record<string, number> = { s: 1000, ms: 1, us: 0.001, µs: 0.001, m: 60_000, h: 3_600_000 };
    const d = div[unit];
    if (d) return `${round(ms / d, 2)}${unit}`;
  }
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${round(ms * 1e6, 0)}ns`;
  if (ms < 1) return `${round(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${round(ms, 2)}ms`;
  if (ms < 60_000) return `${round(ms / 1000, 2)}s`;
  const m = Math.floor(ms / 60_000);
  const h = Math.floor(m / 60);
  const s = round((ms % 60_000) / 1000, 2);
  return h > 0 ? `${h}h${m % 60}m${s}s` : `${m}m${s}s`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${round(v, 0)} B` : `${round(v, 1)} ${units[u]}`;
}

export function formatNumber(n: number): string {
  return String(round(n, 6));
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function formatValue(metric: SummaryMetric, value: number, timeUnit?: string): string {
  if (metric.contains === 'time') return formatDuration(value, timeUnit);
  if (metric.contains === 'data') return formatBytes(value);
  return formatNumber(value);
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}
