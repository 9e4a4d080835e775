import { describe, expect, it } from 'vitest';
import { lineChartSvg, type ChartSpec } from './svg-line-chart.ts';

const polylines = (svg: string): string[] => [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]!);
const points = (pts: string): [number, number][] => pts.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
const yLabels = (svg: string): string[] => [...svg.matchAll(/<text x="58" y="[^"]*" text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

const spec = (series: ChartSpec['series']): ChartSpec => ({ title: 'Throughput', xLabel: 'seconds', yLabel: 'requests/s', series });

describe('lineChartSvg', () => {
  it('is one well-formed SVG document with the title and axis labels', () => {
    const svg = lineChartSvg(spec([{ label: 'requests/s', color: '#2563eb', points: [[0, 1], [1, 2]] }]));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="260"[^>]*>\n[\s\S]*<\/svg>\n$/);
    expect(svg).toContain('>Throughput</text>');
    expect(svg).toContain('y: requests/s · x: seconds');
  });

  it('maps the data into the plot area: x from the left edge to the right, larger y higher up', () => {
    const svg = lineChartSvg(spec([{ label: 'r', color: '#000', points: [[0, 0], [5, 50], [10, 100]] }]));
    const [line] = polylines(svg);
    const [first, middle, last] = points(line!);
    // Plot area: x 64..784, y 36..220 (800×260 minus the padding).
    expect(first).toEqual([64, 220]);
    expect(last).toEqual([784, 36]);
    expect(middle).toEqual([424, 128]);
  });

  it('rounds the y axis up to a nice maximum and labels five gridlines', () => {
    const svg = lineChartSvg(spec([{ label: 'r', color: '#000', points: [[0, 0], [1, 730]] }]));
    expect(yLabels(svg)).toEqual(['0', '250', '500', '750', '1,000']);
    const small = lineChartSvg(spec([{ label: 'r', color: '#000', points: [[0, 0.3], [1, 3.7]] }]));
    expect(yLabels(small)).toEqual(['0', '1.25', '2.5', '3.75', '5']);
  });

  it('breaks a line at a gap (null) instead of drawing a false zero', () => {
    const svg = lineChartSvg(spec([{ label: 'p95', color: '#7c3aed', points: [[0, 10], [1, 20], [2, null], [3, 30], [4, 10]] }]));
    const lines = polylines(svg);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => points(l).length)).toEqual([2, 2]);
    expect(lines.flatMap((l) => points(l)).every(([, y]) => y < 220)).toBe(true);
  });

  it('draws one colour and one legend entry per series', () => {
    const svg = lineChartSvg(spec([
      { label: 'requests/s', color: '#2563eb', points: [[0, 1], [1, 2]] },
      { label: 'system failures/s', color: '#dc2626', points: [[0, 0], [1, 1]] },
    ]));
    expect(svg).toContain('stroke="#2563eb"');
    expect(svg).toContain('stroke="#dc2626"');
    expect(svg).toMatch(/<rect [^>]*fill="#dc2626"\/><text [^>]*>system failures\/s<\/text>/);
  });

  it('escapes text so a label cannot break the markup', () => {
    const svg = lineChartSvg({ title: 'a <b> & c', xLabel: 's', yLabel: 'ms', series: [{ label: '<x>', color: '#000', points: [[0, 1]] }] });
    expect(svg).toContain('a &lt;b&gt; &amp; c');
    expect(svg).toContain('&lt;x&gt;');
    expect(svg).not.toContain('<b>');
  });

  it('draws an empty chart (no polyline, axis 0..1) when there is no data', () => {
    const svg = lineChartSvg(spec([{ label: 'r', color: '#000', points: [] }]));
    expect(polylines(svg)).toEqual([]);
    expect(yLabels(svg)).toEqual(['0', '0.25', '0.5', '0.75', '1']);
  });
});
