/**
 * A small, dependency-free SVG line chart: the report's charts must render on GitHub and in
 * any markdown viewer, without JavaScript.
 */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number | null])[];
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Shaded spans of x with a short label, e.g. the seconds a fault was in force. */
  readonly bands?: readonly { readonly from: number; readonly to: number; readonly label: string }[];
}

const W = 800;
const H = 260;
const PAD = { left: 64, right: 16, top: 36, bottom: 40 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].map((m) => m * exp).find((m) => m >= v) ?? v);
}

export function lineChartSvg(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points.filter((p): p is [number, number] => p[1] !== null));
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const yMax = niceMax(Math.max(0, ...all.map(([, y]) => y)));
  const px = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = py(yMax * f);
    const label = (yMax * f).toLocaleString('en-US', { maximumFractionDigits: yMax < 10 ? 2 : 0 });
    return `<line x1="${PAD.left}" y1="${y}" x2="${W - PAD.right}" y2="${y}" stroke="#e5e7eb"/>` +
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#6b7280">${label}</text>`;
  });
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    `<text x="${px(xMax * f)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#6b7280">${Math.round(xMax * f)}</text>`);
  const lines = spec.series.map((s) => {
    // Gaps (null) break the line instead of drawing a false zero.
    const segments: string[] = [];
    let current: string[] = [];
    for (const [x, y] of s.points) {
      if (y === null) {
        if (current.length) segments.push(current.join(' '));
        current = [];
      } else current.push(`${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    }
    if (current.length) segments.push(current.join(' '));
    return segments.map((pts) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.8" points="${pts}"/>`).join('');
  });
  const bands = (spec.bands ?? []).map((b) => {
    const x = px(Math.min(b.from, xMax));
    const width = Math.max(2, px(Math.min(b.to, xMax)) - x);
    return `<rect x="${x.toFixed(1)}" y="${PAD.top}" width="${width.toFixed(1)}" height="${H - PAD.top - PAD.bottom}" fill="#f59e0b" fill-opacity="0.18"/>` +
      `<text x="${(x + 3).toFixed(1)}" y="${PAD.top + 12}" font-size="10" fill="#92400e">${esc(b.label)}</text>`;
  });
  const legend = spec.series.map((s, i) =>
    `<rect x="${PAD.left + i * 160}" y="${H - 14}" width="10" height="10" fill="${s.color}"/>` +
    `<text x="${PAD.left + i * 160 + 14}" y="${H - 5}" font-size="11" fill="#374151">${esc(s.label)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="20" font-size="14" font-weight="bold" fill="#111827">${esc(spec.title)}</text>`,
    `<text x="${W - PAD.right}" y="20" text-anchor="end" font-size="11" fill="#6b7280">y: ${esc(spec.yLabel)} · x: ${esc(spec.xLabel)}</text>`,
    ...grid, ...bands, ...xTicks, ...lines, ...legend,
    '</svg>',
    '',
  ].join('\n');
}
