import type { ChartSeries } from './svg-line-chart.ts';

/**
 * Charts as Mermaid `xychart-beta` blocks, which GitHub renders inside markdown — so a
 * report pasted into a pull request or a job summary keeps its charts. xychart has no
 * legend and no vertical lines: colours are fixed by a palette in the block's front matter
 * and named in a line under it; horizontal reference lines (thresholds, a baseline) are
 * constant lines; a time marker (a fault) is a bar at full height over its seconds.
 */
export interface ReferenceLine {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** A span of x (seconds) to mark, e.g. the seconds a fault was in force; `to` defaults to `from`. */
export interface XMarker {
  readonly from: number;
  readonly to?: number;
  readonly label: string;
}

export interface XyLineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly references?: readonly ReferenceLine[];
  readonly markers?: readonly XMarker[];
  /** At most this many points per line: longer runs are averaged into equal buckets of x. */
  readonly maxPoints?: number;
}

const MARKER_COLOR = '#f59e0b';

const quote = (s: string): string => `"${s.replace(/"/g, "'")}"`;
const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** Front matter that fixes the line colours, in the order the lines are written. */
function frontMatter(colors: readonly string[]): string[] {
  return ['---', 'config:', '  themeVariables:', '    xyChart:', `      plotColorPalette: ${quote(colors.join(', '))}`, '---'];
}

/** Averages of a series over n equal buckets of [x0, x1]; a bucket without data is 0 (xychart has no gaps). */
export function bucketed(points: ChartSeries['points'], x0: number, x1: number, n: number): number[] {
  const sums = new Array<number>(n).fill(0);
  const counts = new Array<number>(n).fill(0);
  const width = (x1 - x0) / n || 1;
  for (const [x, y] of points) {
    if (y === null) continue;
    const i = Math.min(n - 1, Math.max(0, Math.floor((x - x0) / width)));
    sums[i]! += y;
    counts[i]! += 1;
  }
  return sums.map((s, i) => (counts[i] ? s / counts[i]! : 0));
}

export function mermaidLineChart(spec: XyLineChart): string {
  const xs = spec.series.flatMap((s) => s.points.map(([x]) => x));
  if (xs.length === 0) return '';
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const n = Math.max(1, Math.min(spec.maxPoints ?? 60, new Set(xs).size));
  const lines = spec.series.map((s) => bucketed(s.points, x0, x1, n));
  const references = spec.references ?? [];
  const markers = spec.markers ?? [];
  const yMax = Math.max(1, ...lines.flat(), ...references.map((r) => r.value));
  const width = (x1 - x0) / n || 1;
  const markerBar = Array.from({ length: n }, (_, i) => {
    const from = x0 + i * width;
    const to = from + width;
    return markers.some((m) => m.from < to && (m.to ?? m.from) >= from) ? yMax : 0;
  });
  const colors = [...(markers.length > 0 ? [MARKER_COLOR] : []), ...spec.series.map((s) => s.color), ...references.map((r) => r.color)];
  const body = [
    ...frontMatter(colors),
    'xychart-beta',
    `  title ${quote(spec.title)}`,
    // A one-second run would give an empty range; the axis then starts at 0.
    `  x-axis ${quote(spec.xLabel)} ${fmt(x1 > x0 ? x0 : Math.min(0, x0))} --> ${fmt(x1 > x0 ? x1 : Math.max(x0, 0) || 1)}`,
    `  y-axis ${quote(spec.yLabel)} 0 --> ${fmt(yMax * 1.05)}`,
    ...(markers.length > 0 ? [`  bar [${markerBar.map(fmt).join(', ')}]`] : []),
    ...lines.map((values) => `  line [${values.map(fmt).join(', ')}]`),
    ...references.map((r) => `  line [${new Array<string>(n).fill(fmt(r.value)).join(', ')}]`),
  ];
  const legend: LegendEntry[] = [
    ...spec.series.map((s): LegendEntry => [s.color, s.label]),
    ...references.map((r): LegendEntry => [r.color, `${r.label} (${fmt(r.value)})`]),
    ...markers.map((m): LegendEntry => [MARKER_COLOR, `bars: ${m.label} (${fmt(m.from)}–${fmt(m.to ?? m.from)} s)`]),
  ];
  return ['```mermaid', ...body, '```', '', legendLine(legend), ''].join('\n');
}

export interface XyBarChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly values: readonly number[];
  readonly color: string;
  readonly references?: readonly ReferenceLine[];
}

/** Bars over named categories (a histogram's buckets, baseline vs this run). */
export function mermaidBarChart(spec: XyBarChart): string {
  if (spec.categories.length === 0) return '';
  const references = spec.references ?? [];
  const yMax = Math.max(1, ...spec.values, ...references.map((r) => r.value));
  const body = [
    ...frontMatter([spec.color, ...references.map((r) => r.color)]),
    'xychart-beta',
    `  title ${quote(spec.title)}`,
    `  x-axis ${quote(spec.xLabel)} [${spec.categories.map(quote).join(', ')}]`,
    `  y-axis ${quote(spec.yLabel)} 0 --> ${fmt(yMax * 1.05)}`,
    `  bar [${spec.values.map(fmt).join(', ')}]`,
    ...references.map((r) => `  line [${spec.categories.map(() => fmt(r.value)).join(', ')}]`),
  ];
  const legend = references.map((r): LegendEntry => [r.color, `${r.label} (${fmt(r.value)})`]);
  return ['```mermaid', ...body, '```', '', ...(legend.length > 0 ? [legendLine(legend), ''] : [])].join('\n');
}

type LegendEntry = readonly [color: string, text: string];

/** Colour names a reader can match to the lines: "blue: requests/s · red: system failures/s". */
const NAMES: Readonly<Record<string, string>> = {
  '#2563eb': 'blue', '#dc2626': 'red', '#7c3aed': 'violet', '#059669': 'green', '#f59e0b': 'amber', '#6b7280': 'grey',
  '#0891b2': 'cyan', '#db2777': 'pink', '#65a30d': 'lime', '#ea580c': 'orange', '#111827': 'black', '#a855f7': 'purple',
};

function legendLine(entries: readonly LegendEntry[]): string {
  return `<sub>${entries.map(([color, text]) => `${NAMES[color] ?? color}: ${text}`).join(' · ')}</sub>`;
}
