import type { OutcomeRow } from '@perf-lab/core';
import type { Output } from './output.ts';

/**
 * The run's outcomes for the human summary of run and lab, one aligned line each — business
 * words, count, share, then the API's code or the error's cause:
 *
 *   outcomes of 500 responses:
 *     issued          300   60.0 %
 *     sold out        200   40.0 %  COUPON_SOLD_OUT
 *     system errors     0    0.0 %
 */
export function outcomeLines(out: Output, rows: readonly OutcomeRow[]): string[] {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const counts = rows.map((r) => r.count.toLocaleString('en-US'));
  const wordWidth = Math.max(...rows.map((r) => r.outcome.length));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const paint = (r: OutcomeRow, text: string): string =>
    r.cls === 'system' && r.count > 0 ? out.color.red(text) : r.cls === 'success' ? out.color.green(text) : text;
  return [
    `outcomes of ${total.toLocaleString('en-US')} responses:`,
    ...rows.map((r, i) => {
      const share = `${(100 * r.share).toFixed(1)} %`.padStart(7);
      return `  ${paint(r, r.outcome.padEnd(wordWidth))}  ${counts[i]!.padStart(countWidth)}  ${share}${r.code ? `  ${r.code}` : ''}`;
    }),
  ];
}
