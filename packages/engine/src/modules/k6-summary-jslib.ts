/** Local stand-in for https://jslib.k6.io/k6-summary/x.y.z/index.js (textSummary only). */
import { UnsupportedApiError } from './script-errors.ts';
import { textSummary } from '../summary/text-summary.ts';

export function createSummaryJslib(): Record<string, unknown> {
  return {
    textSummary,
    jUnit: () => {
      throw new UnsupportedApiError('jUnit() from k6-summary is not provided by the perf-lab engine');
    },
  };
}
