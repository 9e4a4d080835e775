import type { InvariantResult } from './invariant.ts';

export type ResultTone = 'ok' | 'bad' | 'undecided' | 'muted';

/**
 * How one invariant's result reads in a table (CLI and report alike): its word, its tone,
 * and the detail worth a column — examples, then the note, the reason it was skipped or why
 * its findings could not decide. Older audit.json files carry no status; ok/skipped stand in.
 */
export function resultLabel(i: InvariantResult): { word: string; tone: ResultTone; detail: string } {
  const status = i.status ?? (i.skipped ? 'not-applicable' : i.ok ? 'ok' : 'violated');
  const detail = [...i.examples.slice(0, 3), i.note, i.skipped, i.undecided].filter(Boolean).join('; ');
  switch (status) {
    case 'ok': return { word: 'ok', tone: 'ok', detail };
    case 'not-applicable': return { word: 'n/a', tone: 'muted', detail };
    case 'violated': return { word: 'VIOLATED', tone: 'bad', detail };
    case 'indeterminate': return { word: 'indeterminate', tone: 'undecided', detail };
    case 'unchecked': return { word: 'unchecked', tone: 'undecided', detail };
  }
}
