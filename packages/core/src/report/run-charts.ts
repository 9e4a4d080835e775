import type { LoadedRun, TimeSeriesPoint } from '../run/run-record.ts';
import { reasonLabel } from '../run/k6-error-names.ts';
import { OUTCOME_CLASSES, type OutcomeClass } from '../run/outcome-tally.ts';
import type { RunResults } from '../run/run-results.ts';
import { latencyThresholds } from './chart-thresholds.ts';
import { latencyHistogram } from './latency-histogram.ts';
import { mermaidBarChart, mermaidLineChart, type ReferenceLine, type XMarker } from './mermaid-xychart.ts';
import { lineChartSvg, type ChartSeries, type ChartSpec } from './svg-line-chart.ts';

/** One chart, drawn twice: inline Mermaid for GitHub, an SVG file for every other viewer. */
interface Chart {
  readonly file: string;
  readonly spec: ChartSpec;
  readonly references: readonly ReferenceLine[];
}

export interface RunCharts {
  /** The "## Charts" section's body: Mermaid blocks with their legends. */
  readonly markdown: string;
  /** SVG files to write beside report.md: [file name, content]. */
  readonly svgs: readonly (readonly [string, string])[];
}

/** Colours per outcome class, a few shades each, so a reader tells 409s from 5xx at a glance. */
const CLASS_COLORS: Readonly<Record<OutcomeClass, readonly string[]>> = {
  success: ['#059669', '#65a30d'],
  business: ['#f59e0b', '#ea580c', '#a855f7'],
  system: ['#dc2626', '#db2777', '#111827'],
};
const MAX_OUTCOME_LINES = 6;

/** Lines of responses per second by outcome: the largest reasons of the run, each with its class. */
export function outcomeSeries(ts: readonly TimeSeriesPoint[]): ChartSeries[] {
  const totals = new Map<string, { cls: OutcomeClass; reason: string; n: number }>();
  for (const p of ts) {
    for (const cls of OUTCOME_CLASSES) {
      for (const [reason, n] of Object.entries(p.outcomes?.[cls] ?? {})) {
        const key = `${cls}:${reason}`;
        totals.set(key, { cls, reason, n: (totals.get(key)?.n ?? 0) + n });
      }
    }
  }
  const used: Record<OutcomeClass, number> = { success: 0, business: 0, system: 0 };
  return [...totals.values()].sort((a, b) => b.n - a.n).slice(0, MAX_OUTCOME_LINES).map(({ cls, reason }) => {
    const palette = CLASS_COLORS[cls];
    const color = palette[used[cls]++ % palette.length]!;
    const label = cls === 'success' ? 'accepted' : `${cls}: ${reasonLabel(reason)}`;
    return { label, color, points: ts.map((p): [number, number] => [p.t, p.outcomes?.[cls][reason] ?? 0]) };
  });
}

function latencySeries(ts: readonly TimeSeriesPoint[]): ChartSeries[] {
  if (ts.some((p) => p.successMs)) {
    const band = (key: 'p50' | 'p95' | 'p99') => ts.map((p): [number, number | null] => [p.t, p.successMs ? p.successMs[key] : null]);
    return [
      { label: 'p50', color: '#059669', points: band('p50') },
      { label: 'p95', color: '#7c3aed', points: band('p95') },
      { label: 'p99', color: '#2563eb', points: band('p99') },
    ];
  }
  // Runs without per-operation durations (k6 engine, older runs): the engine's p95 of all responses.
  return [{ label: 'p95 (all responses)', color: '#7c3aed', points: ts.map((p) => [p.t, p.p95Ms]) }];
}

export function runCharts(run: LoadedRun, results: RunResults, successMs: readonly number[], markers: readonly XMarker[] = []): RunCharts {
  const ts = run.timeSeries;
  if (ts.length === 0) return { markdown: '', svgs: [] };
  const thresholdColors = ['#dc2626', '#ea580c'];
  const thresholds = latencyThresholds(results.thresholds).map((t, i): ReferenceLine => ({ label: t.label, value: t.ms, color: thresholdColors[i % 2]! }));
  const outcomes = outcomeSeries(ts);
  const charts: Chart[] = [
    { file: 'throughput.svg', references: [], spec: { title: 'Throughput', xLabel: 'seconds', yLabel: 'requests/s', series: [
      { label: 'requests/s', color: '#2563eb', points: ts.map((p) => [p.t, p.requests]) },
      { label: 'system failures/s', color: '#dc2626', points: ts.map((p) => [p.t, p.systemFailures]) },
    ] } },
    ...(outcomes.length > 0 ? [{ file: 'outcomes.svg', references: [], spec: { title: 'Responses per second by outcome', xLabel: 'seconds', yLabel: 'responses/s', series: outcomes } }] : []),
    { file: 'latency-p95.svg', references: thresholds, spec: { title: 'Latency of successful responses per second', xLabel: 'seconds', yLabel: 'ms', series: latencySeries(ts) } },
    { file: 'vus.svg', references: [], spec: { title: 'Virtual users', xLabel: 'seconds', yLabel: 'VUs', series: [
      { label: 'VUs', color: '#059669', points: ts.map((p) => [p.t, p.vus]) },
    ] } },
  ];
  const sections: string[] = [];
  for (const chart of charts) {
    sections.push(mermaidLineChart({ ...chart.spec, references: chart.references, markers }));
    if (chart.file === 'latency-p95.svg') {
      const buckets = latencyHistogram(successMs);
      if (buckets.length > 0) {
        sections.push(mermaidBarChart({
          title: `Latency histogram of ${successMs.length} successful responses`, xLabel: 'ms', yLabel: 'responses',
          categories: buckets.map((b) => b.label), values: buckets.map((b) => b.count), color: '#7c3aed',
        }));
      }
    }
  }
  // The SVGs shade the same spans (faults) on the time charts, the VU chart aside.
  const bands = markers.map((m) => ({ from: m.from, to: m.to ?? m.from, label: m.label }));
  const svgs = charts.map((c): [string, string] => [c.file, lineChartSvg({
    ...c.spec,
    ...(c.file === 'vus.svg' ? {} : { bands }),
    // The SVG draws reference lines as constant series, labelled in its legend.
    series: [...c.spec.series, ...c.references.map((r): ChartSeries => ({ label: r.label, color: r.color, points: [[ts[0]!.t, r.value], [ts.at(-1)!.t, r.value]] }))],
  })]);
  return { markdown: sections.join('\n'), svgs };
}
