/**
 * `--summary-export`: k6's legacy JSON export (kept by k6 for compatibility). Differences from
 * handleSummary's data: values are flat on the metric, rates are {passes, fails, value}, groups
 * and checks are objects keyed by name, and threshold booleans say whether it FAILED.
 */
import type { SummaryGroup } from '../metrics/group-tree.ts';
import type { SummaryData } from './summary-data.ts';

interface LegacyGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, LegacyGroup>;
  checks: Record<string, { name: string; path: string; id: string; passes: number; fails: number }>;
}

export function legacySummaryExport(data: SummaryData): { root_group: LegacyGroup; metrics: Record<string, Record<string, unknown>> } {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    const v = m.values;
    const flat: Record<string, unknown> =
      m.type === 'rate' ? { passes: v.passes ?? 0, fails: v.fails ?? 0, value: v.rate ?? 0 } : { ...v };
    if (m.thresholds) flat.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([k, r]) => [k, !r.ok]));
    metrics[name] = flat;
  }
  return { root_group: legacyGroup(data.root_group), metrics };
}

function legacyGroup(g: SummaryGroup): LegacyGroup {
  return {
    name: g.name,
    path: g.path,
    id: g.id,
    groups: Object.fromEntries(g.groups.map((c) => [c.name, legacyGroup(c)])),
    checks: Object.fromEntries(g.checks.map((c) => [c.name, { ...c }])),
  };
}
