/**
 * k6's end-of-test text summary (its "compact" layout): thresholds, checks, then metrics by
 * category. Exported for scripts too (`textSummary(data, { indent, enableColors })`), so a
 * handleSummary needs no jslib from the internet.
 */
import type { SummaryMetric } from '../metrics/metric-types.ts';
import type { SummaryCheck, SummaryGroup } from '../metrics/group-tree.ts';
import type { SummaryData } from './summary-data.ts';
import { formatBytes, formatNumber, formatPercent, formatValue, round } from './format-values.ts';

export interface TextSummaryOptions {
  indent?: string;
  enableColors?: boolean;
}

const CATEGORIES: ReadonlyArray<readonly [string, (name: string) => boolean]> = [
  ['HTTP', (n) => n.startsWith('http_req')],
  ['EXECUTION', (n) => ['iteration_duration', 'iterations', 'vus', 'vus_max', 'dropped_iterations'].includes(n)],
  ['NETWORK', (n) => n === 'data_received' || n === 'data_sent'],
];
const HIDDEN_IN_COMPACT = new Set(['checks', 'group_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving']);
const WIDTH = 35;

export function textSummary(data: SummaryData, opts: TextSummaryOptions = {}): string {
  const indent = opts.indent ?? ' ';
  const color = (code: number, s: string): string => (opts.enableColors ? `\u001b[${code}m${s}\u001b[0m` : s);
  const ok = color(32, '✓');
  const bad = color(31, '✗');
  const unit = data.options.summaryTimeUnit || undefined;
  const pad = `${indent}   `;
  const out: string[] = [''];

  const withThresholds = Object.entries(data.metrics).filter(([, m]) => m.thresholds);
  if (withThresholds.length > 0) {
    out.push(`${indent} █ THRESHOLDS`, '');
    for (const [name, m] of withThresholds.sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`${pad}${name}`);
      for (const [source, r] of Object.entries(m.thresholds ?? {})) {
        const method = /^\s*([a-z]+(?:\([\d.]+\))?)/.exec(source)?.[1] ?? '';
        const v = m.values[method];
        const shown = v === undefined ? '' : ` ${method}=${m.type === 'rate' ? formatPercent(v) : formatValue(m, v, unit)}`;
        out.push(`${pad}${r.ok ? ok : bad} '${source}'${shown}`);
      }
      out.push('');
    }
    out.push('');
  }

  out.push(`${indent} █ TOTAL RESULTS`, '');
  const checks = data.metrics.checks;
  if (checks) {
    const passes = checks.values.passes ?? 0;
    const fails = checks.values.fails ?? 0;
    const total = passes + fails;
    const secs = data.state.testRunDurationMs / 1000;
    out.push(line(pad, 'checks_total', `${total}${' '.repeat(Math.max(1, 8 - String(total).length))}${formatNumber(round(secs ? total / secs : 0, 6))}/s`));
    out.push(line(pad, 'checks_succeeded', `${formatPercent(total ? passes / total : 0).padEnd(7)} ${passes} out of ${total}`));
    out.push(line(pad, 'checks_failed', `${formatPercent(total ? fails / total : 0).padEnd(7)} ${fails} out of ${total}`), '');
    if (data.root_group.checks.length > 0) out.push(...checkLines(data.root_group.checks, pad, ok, bad), '');
  }

  const names = Object.keys(data.metrics).filter((n) => !n.includes('{') && !HIDDEN_IN_COMPACT.has(n)).sort();
  const sections: Array<[string, string[]]> = [['CUSTOM', []], ...CATEGORIES.map(([c]) => [c, []] as [string, string[]])];
  for (const n of names) {
    const cat = CATEGORIES.find(([, test]) => test(n))?.[0] ?? 'CUSTOM';
    sections.find(([c]) => c === cat)?.[1].push(n);
  }
  for (const [title, list] of sections) {
    if (list.length === 0) continue;
    out.push(`${pad}${title}`);
    for (const n of list) {
      const m = data.metrics[n] as SummaryMetric;
      out.push(line(pad, n, renderValues(m, unit)));
      for (const [subName, sub] of Object.entries(data.metrics)) {
        if (!subName.startsWith(`${n}{`)) continue;
        const label = `{ ${subName.slice(n.length + 1, -1).split(',').join(', ')} }`;
        out.push(line(`${pad}  `, label, renderValues(sub, unit), WIDTH - 2));
      }
    }
    out.push('');
  }

  for (const g of data.root_group.groups) out.push(...groupLines(g, indent, ok, bad));
  return out.join('\n');
}

function line(prefix: string, name: string, value: string, width = WIDTH): string {
  return `${prefix}${name}${'.'.repeat(Math.max(2, width - name.length))}: ${value}`;
}

function renderValues(m: SummaryMetric, unit?: string): string {
  const v = m.values;
  switch (m.type) {
    case 'trend':
      return Object.entries(v)
        .map(([k, x]) => `${k}=${k === 'count' ? formatNumber(x) : formatValue(m, x, unit)}`.padEnd(14))
        .join(' ')
        .trimEnd();
    case 'counter': {
      const count = v.count ?? 0;
      const rate = v.rate ?? 0;
      const shown = m.contains === 'data' ? formatBytes(count) : formatNumber(count);
      const perSec = m.contains === 'data' ? `${formatBytes(rate)}/s` : `${formatNumber(round(rate, 6))}/s`;
      return `${shown.padEnd(7)} ${perSec}`;
    }
    case 'rate':
      return `${formatPercent(v.rate ?? 0).padEnd(7)} ${v.passes ?? 0} out of ${(v.passes ?? 0) + (v.fails ?? 0)}`;
    case 'gauge':
      return `${formatValue(m, v.value ?? 0, unit).padEnd(7)} min=${formatValue(m, v.min ?? 0, unit)} max=${formatValue(m, v.max ?? 0, unit)}`;
  }
}

function checkLines(checks: SummaryCheck[], pad: string, ok: string, bad: string): string[] {
  return checks.flatMap((c) => {
    if (c.fails === 0) return [`${pad}${ok} ${c.name}`];
    const total = c.passes + c.fails;
    return [`${pad}${bad} ${c.name}`, `${pad}  ↳  ${Math.floor((c.passes / total) * 100)}% — ${ok} ${c.passes} / ${bad} ${c.fails}`];
  });
}

function groupLines(g: SummaryGroup, indent: string, ok: string, bad: string): string[] {
  const pad = `${indent}   `;
  const out = [`${indent} █ GROUP: ${g.path.split('::').filter(Boolean).join(' › ')}`, ''];
  out.push(...checkLines(g.checks, pad, ok, bad));
  if (g.checks.length) out.push('');
  for (const child of g.groups) out.push(...groupLines(child, indent, ok, bad));
  return out;
}

