import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REFERENCE_API, SCENARIO_ENV, parseApiContract, type ApiContract, type IdFormats } from '@perf-lab/contract';
import { RUN_FILES, type K6Summary, type RunRecord } from '../run/run-record.ts';
import { readOperationsLog, type OperationsLog } from './operations-log.ts';

/** The counters every perf-lab scenario adds 1 to per operation, next to its log line. */
const OPERATION_COUNTERS = ['perf_lab_successes', 'perf_lab_business_failures', 'perf_lab_system_failures'] as const;

export interface OperationsEvidence {
  readonly log: OperationsLog | undefined;
  /** Operations the run made, by its summary; undefined when the summary cannot say. */
  readonly expected: number | undefined;
  readonly lines: number;
  readonly malformed: number;
  readonly missing: number;
  /** Why the log cannot be trusted to be complete; empty when it can. */
  readonly problems: readonly string[];
  /**
   * Requests that may have reached the server without an answer the run could log, at most: an
   * aborted run stops its VUs mid-request, one request each (vus_max); and any run cuts off the
   * VUs still in an iteration when gracefulStop or gracefulRampDown runs out, whose requests in
   * flight the embedded engine counts (run.json's interruptedInFlight).
   */
  readonly unloggedInFlight: number;
}

/**
 * How the run's system writes its ids: the API contract the run handed its script (run.json's
 * API_CONTRACT); the reference server's when the run did not record one.
 */
export function runIdFormats(runDir: string): IdFormats {
  return runApiContract(runDir).ids;
}

/** The API contract the run handed its script (run.json's API_CONTRACT); the reference API when it recorded none. */
export function runApiContract(runDir: string): ApiContract {
  const file = path.join(runDir, RUN_FILES.record);
  if (!existsSync(file)) return REFERENCE_API;
  const env = (JSON.parse(readFileSync(file, 'utf8')) as { env?: Record<string, string> }).env ?? {};
  const declared = env[SCENARIO_ENV.apiContract];
  return declared ? parseApiContract(JSON.parse(declared)) : REFERENCE_API;
}

/** The bound of OperationsEvidence.unloggedInFlight. The embedded engine counts every request it
 * cut off, at an abort too, so its count is the bound; a k6 binary's run records none, and only
 * an abort bounds its unlogged requests (by its VUs). */
function unloggedInFlight(runDir: string): number {
  const file = path.join(runDir, RUN_FILES.record);
  if (!existsSync(file)) return 0;
  const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<Pick<RunRecord, 'aborted' | 'interruptedInFlight'>>;
  return record.interruptedInFlight ?? (record.aborted ? inFlightAtAbort(runDir) : 0);
}

function inFlightAtAbort(runDir: string): number {
  const summary = path.join(runDir, RUN_FILES.summary);
  if (!existsSync(summary)) return 0;
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as K6Summary).metrics ?? {};
  return metrics['vus_max']?.values['max'] ?? metrics['vus_max']?.values['value'] ?? 0;
}

function expectedOperations(runDir: string): number | undefined {
  const file = path.join(runDir, RUN_FILES.summary);
  if (!existsSync(file)) return undefined;
  const summary = JSON.parse(readFileSync(file, 'utf8')) as K6Summary;
  const present = OPERATION_COUNTERS.filter((m) => summary.metrics?.[m]);
  // k6 leaves a counter nobody added to out of the summary; none at all means not our counters.
  if (present.length === 0) return summary.metrics?.['http_reqs'] ? 0 : undefined;
  return present.reduce((sum, m) => sum + (summary.metrics[m]?.values['count'] ?? 0), 0);
}

/**
 * The run's operations log and whether it is complete: the summary knows how many operations
 * the run made, each of which wrote one line. Fewer well-formed lines than that (lines lost at
 * the end, a line cut short, a field that is not a number) means the evidence is incomplete,
 * and the checks that need all of it can only answer unknown.
 */
export function readRunEvidence(runDir: string): OperationsEvidence {
  const log = readOperationsLog(path.join(runDir, RUN_FILES.operations), runIdFormats(runDir));
  const expected = expectedOperations(runDir);
  const lines = log?.lines ?? 0;
  const malformed = log?.malformed ?? 0;
  const missing = expected === undefined ? 0 : Math.max(0, expected - lines);
  const problems: string[] = [];
  if (!log) {
    problems.push(`the run's ${RUN_FILES.operations} is missing (a k6 run without --console-output, or OPS_LOG=off): acknowledged operations cannot be checked`);
  } else if (lines === 0 && malformed === 0 && expected !== 0) {
    problems.push(`the run's ${RUN_FILES.operations} is empty${expected ? ` although the run made ${expected} operations` : ''}`);
  }
  if (log && expected === undefined) {
    problems.push(`no operation counts in the run's ${RUN_FILES.summary}: cannot tell whether ${RUN_FILES.operations} is complete`);
  }
  if (log && missing > 0 && lines > 0) {
    problems.push(`${RUN_FILES.operations} is incomplete: ${missing} of ${expected} operations have no well-formed line`);
  }
  if (malformed > 0) {
    problems.push(`${malformed} malformed line(s) in ${RUN_FILES.operations} (${log!.malformedExamples.join('; ')}) — treated as missing evidence`);
  }
  if (expected !== undefined && lines > expected) {
    problems.push(`${RUN_FILES.operations} has ${lines} operations but the run counted ${expected}: it is not this run's log`);
  }
  return { log, expected, lines, malformed, missing, problems, unloggedInFlight: unloggedInFlight(runDir) };
}
