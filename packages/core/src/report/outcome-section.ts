import { reasonLabel } from '../run/k6-error-names.ts';
import { classTotal, OUTCOME_CLASSES, type OutcomeCounts } from '../run/outcome-tally.ts';
import { num, table } from './markdown.ts';

const CLASS_NAMES = { success: 'accepted', business: 'business failure', system: 'system error' } as const;

/**
 * Every response's outcome with its share of the run — a peak run that is 83 % sold-out 409s
 * says so — and the system errors by cause (k6 error code and name, or unexpected status).
 */
export function outcomeSection(outcomes: OutcomeCounts): string[] {
  const total = OUTCOME_CLASSES.reduce((sum, cls) => sum + classTotal(outcomes, cls), 0);
  if (total === 0) return [];
  const share = (n: number) => `${num((100 * n) / total, 1)} %`;
  const rows = OUTCOME_CLASSES.flatMap((cls) => Object.entries(outcomes[cls]).sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => [CLASS_NAMES[cls], cls === 'success' ? reason : reasonLabel(reason), num(n), share(n)]));
  const out = ['Outcomes of all responses:', '', table(['class', 'outcome', 'count', 'share'], rows), ''];
  const system = Object.entries(outcomes.system).sort((a, b) => b[1] - a[1]);
  if (system.length > 0) {
    out.push('### System errors by cause', '', table(['cause', 'code', 'count', 'share of all'], system.map(([reason, n]) => [reasonLabel(reason), `\`${reason}\``, num(n), share(n)])), '');
  }
  return out;
}
