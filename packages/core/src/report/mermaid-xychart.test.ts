import { describe, expect, it } from 'vitest';
import { bucketed, mermaidBarChart, mermaidLineChart } from './mermaid-xychart.ts';

const block = (md: string): string => /```mermaid\n([\s\S]*?)```/.exec(md)![1]!;
const dataLines = (md: string, kind: 'line' | 'bar'): number[][] =>
  [...block(md).matchAll(new RegExp(`^  ${kind} \\[([^\\]]*)\\]$`, 'gm'))].map((m) => m[1]!.split(', ').map(Number));

describe('mermaidLineChart', () => {
  const series = [
    { label: 'requests/s', color: '#2563eb', points: [[1, 10], [2, 20], [3, 30]] as [number, number][] },
    { label: 'system failures/s', color: '#dc2626', points: [[1, 0], [2, 5], [3, null]] as [number, number | null][] },
  ];

  it('is a fenced xychart-beta block with title, numeric x range, y range and one line per series', () => {
    const md = mermaidLineChart({ title: 'Throughput', xLabel: 'seconds', yLabel: 'requests/s', series });
    expect(md.startsWith('```mermaid\n---\nconfig:\n')).toBe(true);
    const body = block(md);
    expect(body).toContain('xychart-beta\n  title "Throughput"\n  x-axis "seconds" 1 --> 3\n  y-axis "requests/s" 0 --> 31.5\n');
    // A gap is 0: xychart draws no gaps.
    expect(dataLines(md, 'line')).toEqual([[10, 20, 30], [0, 5, 0]]);
    expect(dataLines(md, 'bar')).toEqual([]);
  });

  it('fixes the colours in line order and names them in a legend under the block', () => {
    const md = mermaidLineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series });
    expect(block(md)).toContain('plotColorPalette: "#2563eb, #dc2626"');
    expect(md).toContain('<sub>blue: requests/s · red: system failures/s</sub>');
  });

  it('draws a reference line (threshold) as a constant line after the series, in the y range', () => {
    const md = mermaidLineChart({ title: 'T', xLabel: 'x', yLabel: 'ms', series: [series[0]!], references: [{ label: 'p95 < 500 ms', value: 500, color: '#dc2626' }] });
    expect(dataLines(md, 'line')).toEqual([[10, 20, 30], [500, 500, 500]]);
    expect(block(md)).toContain('y-axis "ms" 0 --> 525');
    expect(block(md)).toContain('plotColorPalette: "#2563eb, #dc2626"');
    expect(md).toContain('red: p95 < 500 ms (500)');
  });

  it('marks a span of x with a full-height bar, drawn first in the marker colour', () => {
    const points: [number, number][] = Array.from({ length: 10 }, (_, i) => [i + 1, 10]);
    const md = mermaidLineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [{ label: 'r', color: '#2563eb', points }], markers: [{ from: 4, to: 6, label: 'kill redis' }] });
    const [bar] = dataLines(md, 'bar');
    expect(bar!.map((v) => (v > 0 ? 1 : 0))).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(block(md)).toContain('plotColorPalette: "#f59e0b, #2563eb"');
    expect(md).toContain('amber: bars: kill redis (4–6 s)');
  });

  it('averages long runs into at most maxPoints buckets', () => {
    const points: [number, number][] = Array.from({ length: 100 }, (_, i) => [i + 1, i < 50 ? 10 : 30]);
    const md = mermaidLineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [{ label: 'r', color: '#000', points }], maxPoints: 4 });
    expect(dataLines(md, 'line')).toEqual([[10, 10, 30, 30]]);
  });

  it('gives a run of one second a non-empty x range', () => {
    expect(block(mermaidLineChart({ title: 'T', xLabel: 's', yLabel: 'y', series: [{ label: 'r', color: '#000', points: [[0.76, 130]] }] })))
      .toContain('x-axis "s" 0 --> 0.76');
  });

  it('is empty without data, and quotes titles safely', () => {
    expect(mermaidLineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [] })).toBe('');
    expect(block(mermaidLineChart({ title: 'say "hi"', xLabel: 'x', yLabel: 'y', series: [series[0]!] }))).toContain('title "say \'hi\'"');
  });
});

describe('bucketed', () => {
  it('averages the non-null values of each equal bucket of x', () => {
    expect(bucketed([[0, 1], [1, 3], [2, null], [3, 8]], 0, 4, 2)).toEqual([2, 8]);
  });
});

describe('mermaidBarChart', () => {
  it('draws bars over named categories with optional reference lines', () => {
    const md = mermaidBarChart({ title: 'Latency histogram', xLabel: 'ms', yLabel: 'responses', categories: ['≤ 1 ms', '≤ 2 ms'], values: [3, 7], color: '#7c3aed',
      references: [{ label: 'baseline', value: 5, color: '#6b7280' }] });
    expect(block(md)).toContain('  x-axis "ms" ["≤ 1 ms", "≤ 2 ms"]\n  y-axis "responses" 0 --> 7.35\n  bar [3, 7]\n  line [5, 5]');
    expect(md).toContain('grey: baseline (5)');
    expect(mermaidBarChart({ title: 'T', xLabel: 'x', yLabel: 'y', categories: [], values: [], color: '#000' })).toBe('');
  });
});
