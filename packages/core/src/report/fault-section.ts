import type { FaultRecord } from '../fault/fault-injector.ts';
import type { RunRecord } from '../run/run-record.ts';
import { table } from './markdown.ts';
import type { XMarker } from './mermaid-xychart.ts';

const at = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const after = (ms: number | null, from: number | null): string => (ms === null || from === null ? '—' : `${((ms - from) / 1000).toFixed(1)} s`);

/** The report's list of injected faults; the charts shade the same spans. */
export function faultSection(faults: readonly FaultRecord[]): string[] {
  return [
    '## Faults', '',
    'Times count from the start of the load. A fault is undone at its end (a killed process is restarted the way perf-lab ' +
      'started it, a paused one gets SIGCONT); "serves again" is the first 200 from the server\'s `GET /health` after that. ' +
      'The charts shade each fault from its start until its target answered again.', '',
    table(['fault', 'pid', 'started', 'undone', 'answers again', 'server serves again (after undo)', 'outcome'], faults.map((f) => [
      `\`${f.fault}\``, f.pid === null ? '—' : String(f.pid), at(f.startMs), at(f.endMs), at(f.recoveredMs),
      after(f.serverBackMs, f.endMs), f.error ? `**${f.outcome}** (${f.error})` : f.outcome === 'recovered' ? 'recovered' : `**${f.outcome}**`,
    ])), '',
  ];
}

/** Each fault as a span to mark on the charts: shaded until the target answered again (a killed service is unavailable through its restart too). */
export function faultMarkers(record: RunRecord): XMarker[] {
  return (record.faults ?? []).flatMap((f) => (f.startMs === null ? [] : [{
    from: f.startMs / 1000, to: (f.recoveredMs ?? f.endMs ?? f.startMs) / 1000, label: f.fault,
  }]));
}
