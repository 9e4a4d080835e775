/** http.expectedStatuses(): which statuses count as expected (http_req_failed, expected_response). */

export interface StatusRange {
  min: number;
  max: number;
}

const BRAND = Symbol('perf-lab.expectedStatuses');

export interface ResponseCallback {
  readonly [BRAND]: true;
  readonly ranges: readonly StatusRange[];
  readonly statuses: ReadonlySet<number>;
}

export function expectedStatuses(...args: Array<number | StatusRange>): ResponseCallback {
  const ranges: StatusRange[] = [];
  const statuses = new Set<number>();
  for (const [i, a] of args.entries()) {
    if (typeof a === 'number' && Number.isInteger(a)) statuses.add(a);
    else if (a && typeof a === 'object' && Number.isInteger(a.min) && Number.isInteger(a.max)) ranges.push({ min: a.min, max: a.max });
    else throw new Error(`argument number ${i + 1} to expectedStatuses was neither an integer nor an object like {min:100, max:329}`);
  }
  return { [BRAND]: true, ranges, statuses };
}

export function isResponseCallback(v: unknown): v is ResponseCallback {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}

export function isExpected(cb: ResponseCallback, status: number): boolean {
  if (cb.statuses.has(status)) return true;
  for (const r of cb.ranges) if (status >= r.min && status <= r.max) return true;
  return false;
}

/** k6's default: 2xx and 3xx are expected. */
export const defaultResponseCallback: ResponseCallback = expectedStatuses({ min: 200, max: 399 });
